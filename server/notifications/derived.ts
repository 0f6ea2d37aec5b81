import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../db/schema.js';
import { ANONYMOUS_LABEL, type Anonymity } from '../security/anonymity.js';
import { openLedger, type Ledger } from '../security/anonymous-ledger.js';
import { authorVendor } from '../posts/authors.js';
import { selectColumns } from '../plugins/member-columns.js';
import type { ModerationNotice, NoticeItem } from './notices.js';

// Notices nobody stored: replies to the member's stories and moderators' decisions on their
// anonymous posts, found from the posts themselves when the member reads them.

export interface WatchedVendor {
  vendorId: number;
  name: string;
  sinceId: number;
  represented: boolean;
}

export interface Sources {
  memberId: number;
  seenReplyId: number;
  readAt: Date | null;
  /** Keys of the decisions on their anonymous posts the member has marked read. */
  decisionsSeen: Set<string>;
  ledger: Ledger;
  storyIds: number[];
  /**
   * The vendors the member follows or represents: new stories about them are news to them,
   * those after `sinceId` (the newest story when they began to follow or to represent it).
   */
  watched: WatchedVendor[];
  seenVendorStoryId: number;
  /** The member's per-thread tags in their stories: their own anonymous replies there. */
  ownTags: string[];
  storedUnread: number;
}

/**
 * What a member's notices derive from, as columns keyed by the member: read for every page they
 * load with the member's other columns (plugins/member-columns.ts), or on their own (loadSources).
 */
export function sourcesColumns(anonymity: Anonymity, memberId: number) {
  return {
    replies_seen_id: sql<number | null>`(select replies_seen_id from users where id = ${memberId})`,
    vendor_stories_seen_id: sql<
      number | null
    >`(select vendor_stories_seen_id from users where id = ${memberId})`,
    notices_read_at: sql<Date | null>`(select notices_read_at from users where id = ${memberId})`,
    decisions_seen: sql<string | null>`(select decisions_seen from users where id = ${memberId})`,
    watched: sql<
      [number, number, string, boolean][] | string
    >`(select coalesce(json_agg(json_build_array(
        w.vendor_id, w.since_thread_id, v.name, w.represented) order by v.name), '[]')
      from (select vendor_id, since_thread_id, false as represented from vendor_follows
             where user_id = ${memberId}
            union all
            select vendor_id, since_thread_id, true from representatives
             where user_id = ${memberId}) w
      join vendors v on v.id = w.vendor_id)`,
    ledger: sql<
      string | null
    >`(select sealed from anonymous_ledgers where owner = ${anonymity.ledgerOwner(memberId)})`,
    named_story_ids: sql<
      number[]
    >`array(select id from threads where author_id = ${memberId} and deleted_at is null)`,
    stored_unread: sql<number>`(select count(*)::int from notifications
      where recipient = ${anonymity.noticeRecipient(memberId)} and read_at is null)`,
  };
}

type SourcesRow = {
  [Name in keyof ReturnType<typeof sourcesColumns>]: ReturnType<
    typeof sourcesColumns
  >[Name] extends RawBuilder<infer Value>
    ? Value
    : never;
};

/** The member's sources from their columns; null for a member who is gone. */
export function sourcesFrom(
  anonymity: Anonymity,
  memberId: number,
  columns: Partial<Record<keyof SourcesRow, unknown>>,
): Sources | null {
  const row = columns as SourcesRow;
  if (row.replies_seen_id === null || row.replies_seen_id === undefined) return null;
  const ledger = openLedger(anonymity, row.ledger);
  const storyIds = [...row.named_story_ids.map(Number), ...ledger.threads];
  const seen = row.decisions_seen ? anonymity.openData<string[]>(row.decisions_seen) : null;
  return {
    memberId,
    seenReplyId: row.replies_seen_id,
    readAt: row.notices_read_at,
    decisionsSeen: new Set(seen ?? []),
    ledger,
    storyIds,
    watched: watchedVendors(row.watched),
    seenVendorStoryId: row.vendor_stories_seen_id ?? 0,
    ownTags: storyIds.map((id) => anonymity.authorTag(id, memberId)),
    storedUnread: row.stored_unread,
  };
}

/** What the member's notices derive from, in one statement. */
export async function loadSources(
  db: Kysely<DB>,
  anonymity: Anonymity,
  memberId: number,
): Promise<Sources | null> {
  const { rows } = await selectColumns(sourcesColumns(anonymity, memberId)).execute(db);
  return sourcesFrom(anonymity, memberId, rows[0] ?? {});
}

/** Replies by others to the member's standing stories (named and anonymous), visible ones. */
export function repliesToOwnStories(db: Kysely<DB>, sources: Sources) {
  return db
    .selectFrom('replies')
    .innerJoin('threads', 'threads.id', 'replies.thread_id')
    .leftJoin('users', 'users.id', 'replies.author_id')
    .where('replies.thread_id', '=', sql<number>`any(${sources.storyIds}::int[])`)
    .where('threads.deleted_at', 'is', null)
    .where('replies.deleted_at', 'is', null)
    .where('replies.hidden_at', 'is', null)
    .where((eb) =>
      eb.or([eb('replies.author_id', 'is', null), eb('replies.author_id', '!=', sources.memberId)]),
    )
    .where((eb) =>
      eb.or([
        eb('replies.author_tag', 'is', null),
        eb('replies.author_tag', '!=', sql<string>`all(${sources.ownTags}::text[])`),
      ]),
    );
}

/** One key per standing decision on an anonymous post: what "read" is remembered by. */
export const decisionKey = (kind: 'thread' | 'reply', id: number, action: string) =>
  `${kind}:${id}:${action}`;

/** Ids after `after` and up to `upTo`: what a mail tells of (all, when not given). */
export interface IdWindow {
  after: number;
  upTo: number;
}

const ALL: IdWindow = { after: 0, upTo: 2_147_483_647 };

export async function listReplyNotices(
  db: Kysely<DB>,
  sources: Sources,
  limit: number,
  window: IdWindow = ALL,
) {
  if (sources.storyIds.length === 0) return [];
  const rows = await repliesToOwnStories(db, sources)
    .where('replies.id', '>', window.after)
    .where('replies.id', '<=', window.upTo)
    .select([
      'replies.id',
      'replies.thread_id',
      'replies.anonymous',
      'replies.pseudonym',
      'replies.created_at',
      'threads.title',
      'users.username',
      sql<string | null>`(select name from vendors where id = replies.official_vendor_id)`.as(
        'official_vendor',
      ),
      authorVendor(),
    ])
    .orderBy('replies.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    notice: {
      kind: 'reply' as const,
      threadId: row.thread_id,
      replyId: row.id,
      title: row.title,
      actor: row.anonymous
        ? `${ANONYMOUS_LABEL} · ${row.pseudonym ?? ''}`
        : (row.username ?? '[deleted member]'),
      actorVendor: row.author_vendor?.name ?? null,
      official: row.official_vendor,
    },
    created_at: new Date(row.created_at),
    read: row.id <= sources.seenReplyId,
  }));
}

/** Moderators' decisions on the member's anonymous posts, each keyed so it can be marked read. */
export async function listAnonymousDecisions(db: Kysely<DB>, sources: Sources) {
  const { stories, replies } = await findDecided(db, sources.ledger);
  const items: (NoticeItem & { key: string })[] = [];
  const add = (key: string, notice: ModerationNotice, at: Date) =>
    items.push({ key, notice, created_at: new Date(at), read: sources.decisionsSeen.has(key) });
  for (const story of stories) {
    const base = { kind: 'moderation' as const, threadId: story.id, title: story.title };
    if (story.hidden_at) {
      const notice = { ...base, action: 'hid', reason: story.hidden_reason ?? '' };
      add(decisionKey('thread', story.id, 'hid'), notice, story.hidden_at);
    }
    if (story.locked_at) {
      const notice = { ...base, action: 'locked', reason: '' };
      add(decisionKey('thread', story.id, 'locked'), notice, story.locked_at);
    }
  }
  for (const reply of replies) {
    const notice = {
      kind: 'moderation' as const,
      action: 'hid',
      reason: reply.hidden_reason ?? '',
      threadId: reply.thread_id,
      replyId: reply.id,
      title: reply.title,
    };
    add(decisionKey('reply', reply.id, 'hid'), notice, reply.hidden_at!);
  }
  return items;
}

/** The member's anonymous stories hidden or locked, and replies hidden, in two queries. */
async function findDecided(db: Kysely<DB>, ledger: Ledger) {
  const { threads, replies } = ledger;
  if (threads.length === 0 && replies.length === 0) return { stories: [], replies: [] };
  const [stories, ownReplies] = await Promise.all([
    db
      .selectFrom('threads')
      .select(['id', 'title', 'hidden_at', 'hidden_reason', 'locked_at'])
      .where('id', '=', sql<number>`any(${threads}::int[])`)
      .where('deleted_at', 'is', null)
      .where((eb) => eb.or([eb('hidden_at', 'is not', null), eb('locked_at', 'is not', null)]))
      .execute(),
    db
      .selectFrom('replies')
      .innerJoin('threads', 'threads.id', 'replies.thread_id')
      .select(['replies.id', 'replies.thread_id', 'threads.title', 'replies.hidden_at'])
      .select('replies.hidden_reason')
      .where('replies.id', '=', sql<number>`any(${replies}::int[])`)
      .where('replies.deleted_at', 'is', null)
      .where('replies.hidden_at', 'is not', null)
      .execute(),
  ]);
  return { stories, replies: ownReplies };
}

/** One row per vendor, the represented one winning over a follow of the same vendor. */
function watchedVendors(rows: [number, number, string, boolean][] | string): WatchedVendor[] {
  const list =
    typeof rows === 'string' ? (JSON.parse(rows) as [number, number, string, boolean][]) : rows;
  const byVendor = new Map<number, WatchedVendor>();
  for (const [vendorId, sinceId, name, represented] of list) {
    const known = byVendor.get(vendorId);
    if (!known || represented) byVendor.set(vendorId, { vendorId, name, sinceId, represented });
  }
  return [...byVendor.values()];
}

/**
 * New stories about the vendors the member follows or represents, derived from the stories:
 * visible ones, by others (not their named stories, nor their anonymous ones, found through the
 * ledger), told since they began to watch the vendor. One row per story and watched vendor.
 */
export function storiesAboutWatchedVendors(db: Kysely<DB>, sources: Sources) {
  const vendorIds = sources.watched.map((vendor) => vendor.vendorId);
  const sinceIds = sources.watched.map((vendor) => vendor.sinceId);
  return db
    .selectFrom('thread_vendors')
    .innerJoin('threads', 'threads.id', 'thread_vendors.thread_id')
    .where('thread_vendors.vendor_id', '=', sql<number>`any(${vendorIds}::int[])`)
    .where(
      sql<boolean>`exists (select 1 from unnest(${vendorIds}::int[], ${sinceIds}::int[]) w(vendor_id, since_id)
        where w.vendor_id = thread_vendors.vendor_id and thread_vendors.thread_id > w.since_id)`,
    )
    .where('thread_vendors.visible', '=', true)
    .where((eb) =>
      eb.or([eb('threads.author_id', 'is', null), eb('threads.author_id', '!=', sources.memberId)]),
    )
    .where('thread_vendors.thread_id', '!=', sql<number>`all(${sources.ledger.threads}::int[])`);
}

/** The watched vendor a story is news about (of several, the one the query picked). */
const vendorOfStory = (sources: Sources, vendorId: number) =>
  sources.watched.find((vendor) => vendor.vendorId === vendorId);

export async function listVendorStoryNotices(
  db: Kysely<DB>,
  sources: Sources,
  limit: number,
  window: IdWindow = ALL,
) {
  if (sources.watched.length === 0) return [];
  const rows = await storiesAboutWatchedVendors(db, sources)
    .where('thread_vendors.thread_id', '>', window.after)
    .where('thread_vendors.thread_id', '<=', window.upTo)
    .select(['threads.id', 'threads.title', 'threads.created_at'])
    .select(sql<number>`min(thread_vendors.vendor_id)`.as('vendor_id'))
    .groupBy(['threads.id', 'threads.title', 'threads.created_at'])
    .orderBy('threads.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => {
    const vendor = vendorOfStory(sources, row.vendor_id);
    return {
      notice: {
        kind: 'vendor-story' as const,
        threadId: row.id,
        title: row.title,
        vendor: vendor?.name ?? '',
        represented: vendor?.represented ?? false,
      },
      created_at: new Date(row.created_at),
      read: row.id <= sources.seenVendorStoryId,
    };
  });
}
