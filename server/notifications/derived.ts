import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { ANONYMOUS_LABEL, type Anonymity } from '../security/anonymity.js';
import { openLedger, type Ledger } from '../security/anonymous-ledger.js';
import { prepared } from '../db/prepared.js';
import { authorVendor } from '../posts/authors.js';
import type { ModerationNotice, NoticeItem } from './notices.js';

// Notices nobody stored: replies to the member's stories and moderators' decisions on their
// anonymous posts, found from the posts themselves when the member reads them.

export interface Sources {
  memberId: number;
  seenReplyId: number;
  readAt: Date | null;
  /** Keys of the decisions on their anonymous posts the member has marked read. */
  decisionsSeen: Set<string>;
  ledger: Ledger;
  storyIds: number[];
  /** The vendor the member represents: new stories about it are news to them. */
  vendorId: number | null;
  vendorName: string;
  /** Stories up to this id were told before the member became a representative. */
  vendorSinceId: number;
  seenVendorStoryId: number;
  /** The member's per-thread tags in their stories: their own anonymous replies there. */
  ownTags: string[];
  storedUnread: number;
}

/** What a member's notices derive from, read for every page they load: built once. */
const notificationSources = prepared(
  (db, values: { memberId: number; ledgerOwner: string; recipient: string }) =>
    db
      .selectFrom('users')
      .select([
        'replies_seen_id',
        'vendor_stories_seen_id',
        sql<number | null>`(select vendor_id from representatives where user_id = users.id)`.as(
          'vendor_id',
        ),
        sql<number>`coalesce((select since_thread_id from representatives where user_id = users.id), 0)`.as(
          'vendor_since_id',
        ),
        sql<string>`(select v.name from representatives r join vendors v on v.id = r.vendor_id
          where r.user_id = users.id)`.as('vendor_name'),
        'notices_read_at',
        'decisions_seen',
        sql<
          string | null
        >`(select sealed from anonymous_ledgers where owner = ${values.ledgerOwner})`.as('ledger'),
        sql<
          number[]
        >`array(select id from threads where author_id = ${values.memberId} and deleted_at is null)`.as(
          'named_story_ids',
        ),
        sql<number>`(select count(*)::int from notifications where recipient = ${values.recipient} and read_at is null)`.as(
          'stored_unread',
        ),
      ])
      .where('id', '=', values.memberId),
);

export async function loadSources(
  db: Kysely<DB>,
  anonymity: Anonymity,
  memberId: number,
): Promise<Sources | null> {
  const [row] = await notificationSources(db, {
    memberId,
    ledgerOwner: anonymity.ledgerOwner(memberId),
    recipient: anonymity.noticeRecipient(memberId),
  });
  if (!row) return null;
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
    vendorId: row.vendor_id,
    vendorSinceId: row.vendor_since_id,
    vendorName: row.vendor_name ?? '',
    seenVendorStoryId: row.vendor_stories_seen_id,
    ownTags: storyIds.map((id) => anonymity.authorTag(id, memberId)),
    storedUnread: row.stored_unread,
  };
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

export async function listReplyNotices(db: Kysely<DB>, sources: Sources, limit: number) {
  if (sources.storyIds.length === 0) return [];
  const rows = await repliesToOwnStories(db, sources)
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

/**
 * New stories about the vendor a representative answers for, derived from the stories: visible
 * ones, by others, told since the member became its representative.
 */
export function storiesAboutOwnVendor(db: Kysely<DB>, sources: Sources) {
  return db
    .selectFrom('thread_vendors')
    .innerJoin('threads', 'threads.id', 'thread_vendors.thread_id')
    .where('thread_vendors.vendor_id', '=', sources.vendorId ?? 0)
    .where('thread_vendors.visible', '=', true)
    .where('thread_vendors.thread_id', '>', sources.vendorSinceId)
    .where((eb) =>
      eb.or([eb('threads.author_id', 'is', null), eb('threads.author_id', '!=', sources.memberId)]),
    );
}

export async function listVendorStoryNotices(db: Kysely<DB>, sources: Sources, limit: number) {
  if (sources.vendorId === null) return [];
  const rows = await storiesAboutOwnVendor(db, sources)
    .select(['threads.id', 'threads.title', 'threads.created_at'])
    .orderBy('thread_vendors.thread_id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    notice: {
      kind: 'vendor-story' as const,
      threadId: row.id,
      title: row.title,
      vendor: sources.vendorName,
    },
    created_at: new Date(row.created_at),
    read: row.id <= sources.seenVendorStoryId,
  }));
}
