// The database as the migrations in migrations/ leave it. Change this file in the same commit
// as the migration that changes the tables. Column names are snake_case, as in SQL.
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

export type Role = 'member' | 'moderator' | 'admin';
export const ROLES: readonly Role[] = ['member', 'moderator', 'admin'];

export interface UsersTable {
  id: Generated<number>;
  username: string;
  password_hash: string;
  role: ColumnType<Role, Role | undefined, Role>;
  company: string | null;
  bio: string | null;
  suspended_until: Timestamp | null;
  created_at: CreatedAt;
}

export interface SessionsTable {
  id: string;
  secret_hash: Uint8Array;
  user_id: number;
  created_at: CreatedAt;
  expires_at: Timestamp;
}

export type Sentiment = 'good' | 'mixed' | 'bad';
export type AreaRating = 'good' | 'bad';

export interface VendorsTable {
  id: Generated<number>;
  name: string;
  slug: string;
  story_count: Generated<number>;
  created_at: CreatedAt;
  // Reputation aggregates over counted stories (one voice per member), kept on every write.
  voices: Generated<number>;
  good: Generated<number>;
  mixed: Generated<number>;
  bad: Generated<number>;
  reputation: number | null;
}

export interface VendorNamesTable {
  match_key: string;
  vendor_id: number;
  name: string;
}

export interface PartnerTiersTable {
  tier_key: string;
  label: string;
  uses: Generated<number>;
}

/** How a post names its author: in the clear, or through keyed tags when anonymous. */
interface AuthorColumns {
  anonymous: Generated<boolean>;
  author_id: number | null;
  author_tag: string | null;
  author_box: string | null;
  owner_hint: number | null;
}

export interface VendorTag {
  id: number;
  name: string;
  slug: string;
}

export interface ThreadsTable extends AuthorColumns {
  id: Generated<number>; // "by default": may be given, from nextThreadId()
  title: string;
  slug: string;
  body_source: string;
  body_html: string;
  sentiment: Sentiment;
  tier: string | null;
  tier_key: string | null;
  /** Copy of the story's vendors, in order (JSON); rewritten when moderators merge vendors. */
  vendor_tags: ColumnType<VendorTag[], string, string>;
  reply_count: Generated<number>;
  score: Generated<number>;
  hot_rank: Generated<number>;
  created_at: CreatedAt;
  edited_at: Timestamp | null;
  deleted_at: Timestamp | null;
  hidden_at: Timestamp | null;
  hidden_reason: string | null;
  locked_at: Timestamp | null;
}

export interface ThreadVendorsTable {
  thread_id: number;
  vendor_id: number;
  position: number;
  voice_key: string;
  counted: Generated<boolean>;
  // Copies of the story's, kept by syncThreadVendors for the vendor page's indexes.
  visible: Generated<boolean>;
  score: Generated<number>;
  hot_rank: Generated<number>;
}

export interface ThreadAreasTable {
  thread_id: number;
  area: string;
  rating: AreaRating;
}

export interface RepliesTable extends AuthorColumns {
  id: Generated<number>;
  thread_id: number;
  body_source: string;
  body_html: string;
  score: Generated<number>;
  created_at: CreatedAt;
  edited_at: Timestamp | null;
  deleted_at: Timestamp | null;
  hidden_at: Timestamp | null;
  hidden_reason: string | null;
}

export interface RevisionsTable {
  id: Generated<number>;
  thread_id: number | null;
  reply_id: number | null;
  title: string | null;
  body_source: string;
  created_at: Date | string;
}

export interface VotesTable {
  post_id: number;
  user_id: number;
  value: number;
  created_at: CreatedAt;
}

export interface VendorAreaStatsTable {
  vendor_id: number;
  area: string;
  good: number;
  bad: number;
}

export interface VendorTierStatsTable {
  vendor_id: number;
  tier_key: string;
  good: number;
  mixed: number;
  bad: number;
}

export interface VendorMonthStatsTable {
  vendor_id: number;
  month: string; // 'YYYY-MM-01'
  good: number;
  mixed: number;
  bad: number;
}

export const REPORT_REASONS = [
  'spam',
  'harassment',
  'personal-data',
  'false-claim',
  'off-topic',
  'other',
] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

export interface ReportsTable {
  id: Generated<number>;
  thread_id: number | null;
  reply_id: number | null;
  reporter_id: number;
  reason: ReportReason;
  note: string | null;
  created_at: CreatedAt;
  resolved_at: Timestamp | null;
}

export interface SuspensionsTable {
  subject: string;
  until: Timestamp;
}

export interface VendorRedirectsTable {
  old_slug: string;
  vendor_id: number;
}

export interface ModerationLogTable {
  id: Generated<number>;
  moderator: string;
  action: string;
  thread_id: number | null;
  reply_id: number | null;
  vendor: string | null;
  /** Only for actions on a named member; never set for an anonymous post's author. */
  member: string | null;
  detail: string | null;
  reason: string;
  created_at: CreatedAt;
}

export interface DB {
  users: UsersTable;
  sessions: SessionsTable;
  vendors: VendorsTable;
  vendor_names: VendorNamesTable;
  partner_tiers: PartnerTiersTable;
  threads: ThreadsTable;
  thread_vendors: ThreadVendorsTable;
  thread_areas: ThreadAreasTable;
  replies: RepliesTable;
  revisions: RevisionsTable;
  thread_votes: VotesTable;
  reply_votes: VotesTable;
  vendor_area_stats: VendorAreaStatsTable;
  vendor_tier_stats: VendorTierStatsTable;
  vendor_month_stats: VendorMonthStatsTable;
  reports: ReportsTable;
  suspensions: SuspensionsTable;
  vendor_redirects: VendorRedirectsTable;
  moderation_log: ModerationLogTable;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type Session = Selectable<SessionsTable>;
