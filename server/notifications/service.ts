import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { ANONYMOUS_LABEL, type Anonymity } from '../security/anonymity.js';
import { openLedger, type Ledger } from '../security/anonymous-ledger.js';

/** A moderators' decision about one of the member's named posts: the only notice stored. */
export interface ModerationNotice {
  kind: 'moderation';
  action: string;
  reason: string;
  threadId: number;
  replyId?: number;
  title: string;
}

/** What the notifications page lists; all but stored moderation notices are derived. */
export type Notice =
  | { kind: 'reply'; threadId: number; replyId: number; title: string; actor: string }
  | ModerationNotice;

export interface NoticeItem {
  notice: Notice | null;
  created_at: Date;
  read: boolean;
}

const thisHour = () => new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);

/**
 * Stores a notice about one of the member's named posts. Notices about anonymous posts are never
 * stored: they are derived from the posts when their author reads them, so no row ties them
 * together or to the member.
 */
export async function notify(
  db: Kysely<DB>,
  anonymity: Anonymity,
  memberId: number,
  notice: ModerationNotice,
) {
  await db
    .insertInto('notifications')
    .values({
      id: randomBytes(16).toString('base64url'),
      recipient: anonymity.noticeRecipient(memberId),
      sealed: anonymity.sealData(notice, 1024),
      created_at: thisHour(),
    })
    .execute();
}

/** What the member's notices are derived from, in one query. */
interface Sources {
  memberId: number;
  seenReplyId: number;
  readAt: Date | null;
  /** Keys of the decisions on their anonymous posts the member has marked read. */
  decisionsSeen: Set<string>;
  ledger: Ledger;
  storyIds: number[];
  /** The member's per-thread tags in their stories: their own anonymous replies there. */
  ownTags: string[];
  storedUnread: number;
}

async function loadSources(
  db: Kysely<DB>,
  anonymity: Anonymity,
  memberId: number,
): Promise<Sources | null> {
  const row = await db
    .selectFrom('users')
    .select([
      'replies_seen_id',
      'notices_read_at',
      'decisions_seen',
      sql<
        string | null
      >`(select sealed from anonymous_ledgers where owner = ${anonymity.ledgerOwner(memberId)})`.as(
        'ledger',
      ),
      sql<
        number[]
      >`array(select id from threads where author_id = ${memberId} and deleted_at is null)`.as(
        'named_story_ids',
      ),
      sql<number>`(select count(*)::int from notifications where recipient = ${anonymity.noticeRecipient(memberId)} and read_at is null)`.as(
        'stored_unread',
      ),
    ])
    .where('id', '=', memberId)
    .executeTakeFirst();
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
    ownTags: storyIds.map((id) => anonymity.authorTag(id, memberId)),
    storedUnread: row.stored_unread,
  };
}

/** Replies by others to the member's standing stories (named and anonymous), visible ones. */
function repliesToOwnStories(db: Kysely<DB>, sources: Sources) {
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
const decisionKey = (kind: 'thread' | 'reply', id: number, action: string) =>
  `${kind}:${id}:${action}`;

/** How many notices the member has not read: for the header, two queries whatever they hold. */
export async function countUnread(db: Kysely<DB>, anonymity: Anonymity, memberId: number) {
  const sources = await loadSources(db, anonymity, memberId);
  if (!sources) return 0;
  const { threads, replies } = sources.ledger;
  if (sources.storyIds.length === 0 && replies.length === 0) return sources.storedUnread;
  const row = await db
    .selectNoFrom([
      sql<number>`(${repliesToOwnStories(db, sources)
        .select(sql`count(*)::int`.as('n'))
        .where('replies.id', '>', sources.seenReplyId)})`.as('replies'),
      sql<number[]>`array(select id from threads where id = any(${threads}::int[])
        and deleted_at is null and hidden_at is not null)`.as('hidden_threads'),
      sql<number[]>`array(select id from threads where id = any(${threads}::int[])
        and deleted_at is null and locked_at is not null)`.as('locked_threads'),
      sql<number[]>`array(select id from replies where id = any(${replies}::int[])
        and deleted_at is null and hidden_at is not null)`.as('hidden_replies'),
    ])
    .executeTakeFirstOrThrow();
  const keys = [
    ...row.hidden_threads.map((id) => decisionKey('thread', Number(id), 'hid')),
    ...row.locked_threads.map((id) => decisionKey('thread', Number(id), 'locked')),
    ...row.hidden_replies.map((id) => decisionKey('reply', Number(id), 'hid')),
  ];
  const unseenDecisions = keys.filter((key) => !sources.decisionsSeen.has(key)).length;
  return sources.storedUnread + row.replies + unseenDecisions;
}

/** What a "mark all read" form carries: what the page showed, so nothing newer is lost. */
export interface ShownNotices {
  repliesUpTo: number;
  noticesUpTo: string;
  decisions: string[];
}

/**
 * The member's notices, newest first: replies to their stories and moderators' decisions about
 * their anonymous posts, derived now from the posts, merged with stored notices about their
 * named posts. One row more than the page tells whether another follows.
 */
export async function listNotices(
  db: Kysely<DB>,
  anonymity: Anonymity,
  memberId: number,
  offset: number,
  limit: number,
): Promise<{ items: NoticeItem[]; shown: ShownNotices }> {
  const sources = await loadSources(db, anonymity, memberId);
  const shown = { repliesUpTo: 0, noticesUpTo: new Date().toISOString(), decisions: [] };
  if (!sources) return { items: [], shown };
  const wanted = offset + limit + 1;
  const [stored, replies, decisions] = await Promise.all([
    listStored(db, anonymity, memberId, wanted),
    listReplyNotices(db, sources, wanted),
    listAnonymousDecisions(db, sources),
  ]);
  const items = [...stored, ...replies, ...decisions]
    .sort((a, b) => b.created_at.getTime() - a.created_at.getTime())
    .slice(offset, offset + limit + 1);
  return {
    items,
    shown: {
      repliesUpTo: Math.max(sources.seenReplyId, ...replies.map((item) => item.notice.replyId)),
      noticesUpTo: shown.noticesUpTo,
      decisions: decisions.map((item) => item.key),
    },
  };
}

async function listStored(db: Kysely<DB>, anonymity: Anonymity, memberId: number, limit: number) {
  const rows = await db
    .selectFrom('notifications')
    .select(['sealed', 'created_at', 'read_at'])
    .where('recipient', '=', anonymity.noticeRecipient(memberId))
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    notice: anonymity.openData<Notice>(row.sealed),
    created_at: new Date(row.created_at),
    read: row.read_at !== null,
  }));
}

async function listReplyNotices(db: Kysely<DB>, sources: Sources, limit: number) {
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
    },
    created_at: new Date(row.created_at),
    read: row.id <= sources.seenReplyId,
  }));
}

/** Moderators' decisions standing on the member's anonymous posts (hidden, locked). */
async function listAnonymousDecisions(db: Kysely<DB>, sources: Sources) {
  const { threads, replies } = sources.ledger;
  if (threads.length === 0 && replies.length === 0) return [];
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
  const items: (NoticeItem & { key: string })[] = [];
  const add = (key: string, notice: ModerationNotice, at: Date) =>
    items.push({ key, notice, created_at: new Date(at), read: sources.decisionsSeen.has(key) });
  for (const story of stories) {
    const base = { kind: 'moderation' as const, threadId: story.id, title: story.title };
    if (story.hidden_at)
      add(
        decisionKey('thread', story.id, 'hid'),
        { ...base, action: 'hid', reason: story.hidden_reason ?? '' },
        story.hidden_at,
      );
    if (story.locked_at)
      add(
        decisionKey('thread', story.id, 'locked'),
        { ...base, action: 'locked', reason: '' },
        story.locked_at,
      );
  }
  for (const reply of ownReplies) {
    add(
      decisionKey('reply', reply.id, 'hid'),
      {
        kind: 'moderation',
        action: 'hid',
        reason: reply.hidden_reason ?? '',
        threadId: reply.thread_id,
        replyId: reply.id,
        title: reply.title,
      },
      reply.hidden_at!,
    );
  }
  return items;
}

/**
 * Marks read what the member's page showed: replies up to the newest one it listed, stored
 * notices up to when it was shown, and the decisions it listed. Anything newer stays new.
 */
export async function markAllRead(
  db: Kysely<DB>,
  anonymity: Anonymity,
  memberId: number,
  shown: ShownNotices,
) {
  const upTo = new Date(Math.min(Date.parse(shown.noticesUpTo) || 0, Date.now()));
  await db.transaction().execute(async (trx) => {
    const sources = await loadSources(trx, anonymity, memberId);
    if (!sources) return;
    const decisions = [...new Set([...sources.decisionsSeen, ...shown.decisions])].filter((key) =>
      /^(thread|reply):\d+:(hid|locked)$/.test(key),
    );
    await trx
      .updateTable('users')
      .set({
        replies_seen_id: sql<number>`greatest(replies_seen_id,
          least(${shown.repliesUpTo}::int, coalesce((select max(id) from replies), 0)))`,
        notices_read_at: upTo,
        decisions_seen: anonymity.sealData(decisions.slice(-1000)),
      })
      .where('id', '=', memberId)
      .execute();
    await trx
      .updateTable('notifications')
      .set({ read_at: sql`date_trunc('hour', now())` })
      .where('recipient', '=', anonymity.noticeRecipient(memberId))
      .where('read_at', 'is', null)
      .where('created_at', '<=', upTo)
      .execute();
  });
}

/** Removes the stored notices of a member who leaves. */
export async function deleteNotices(db: Kysely<DB>, anonymity: Anonymity, memberId: number) {
  await db
    .deleteFrom('notifications')
    .where('recipient', '=', anonymity.noticeRecipient(memberId))
    .execute();
}
