// The forum's vocabulary, with the labels pages show: every feature takes it from here. The column
// types come from the schema, so a value the database cannot hold does not compile.
import type { AreaRating, ReportReason, Sentiment } from '../db/schema.js';

export type { AreaRating, ReportReason, Sentiment };

/** What a vendor owes a partner, in the order pages show them (DESIGN.md, "Support areas"). */
export const SUPPORT_AREAS = [
  { key: 'presales', label: 'Pre-sales support' },
  { key: 'beta', label: 'Beta programs' },
  { key: 'demos', label: 'Customer demos' },
  { key: 'discounts', label: 'Discounts and special bids' },
  { key: 'presentations', label: 'Product presentations' },
  { key: 'education', label: 'Education and training' },
  { key: 'events', label: 'Seminars and events' },
  { key: 'dealreg', label: 'Deal registration and channel conflict' },
  { key: 'mdf', label: 'Marketing funds' },
] as const;

export type AreaKey = (typeof SUPPORT_AREAS)[number]['key'];

export const AREA_LABELS: Record<string, string> = Object.fromEntries(
  SUPPORT_AREAS.map((area) => [area.key, area.label]),
);

export const SENTIMENTS = [
  { key: 'good', label: 'Good experience' },
  { key: 'mixed', label: 'Mixed experience' },
  { key: 'bad', label: 'Bad experience' },
] as const satisfies readonly { key: Sentiment; label: string }[];

/** How a story rates one support area: it went well, or it did not. */
export const AREA_RATINGS = ['good', 'bad'] as const satisfies readonly AreaRating[];

/** A story's ratings by area key; areas it does not mention are absent. */
export type AreaRatings = Record<string, AreaRating>;

/** Why a member reports a post, with how the report form and the queue say it. */
export const REPORT_REASONS = [
  { key: 'spam', label: 'Spam or advertising' },
  { key: 'harassment', label: 'Harassment or abuse' },
  { key: 'personal-data', label: 'Personal data of someone' },
  { key: 'false-claim', label: 'A false claim' },
  { key: 'off-topic', label: 'Off-topic' },
  { key: 'other', label: 'Something else' },
] as const satisfies readonly { key: ReportReason; label: string }[];
export const REPORT_REASON_KEYS = REPORT_REASONS.map((reason) => reason.key);
export const REPORT_REASON_LABELS: Record<string, string> = Object.fromEntries(
  REPORT_REASONS.map((reason) => [reason.key, reason.label]),
);

/** What can be voted on, reported and moderated: a story (a thread's first post) or a reply. */
export const POST_KINDS = ['thread', 'reply'] as const;
export type PostKind = (typeof POST_KINDS)[number];
