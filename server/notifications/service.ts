import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Anonymity } from '../security/anonymity.js';
import {
  decisionKey,
  listAnonymousDecisions,
  listReplyNotices,
  listVendorStoryNotices,
  loadSources,
  repliesToOwnStories,
  storiesAboutWatchedVendors,
  type Sources,
} from './derived.js';
import type { NoticeItem } from './notices.js';
import { listStored } from './stored.js';

/**
 * How many notices the member has not read, from what they derive from (the member's columns on
 * a page): for the header, one more statement whatever they hold, none for a member with no
 * story and no vendor to watch.
 */
export async function countUnread(db: Kysely<DB>, sources: Sources | null) {
  if (!sources) return 0;
  const { threads, replies } = sources.ledger;
  const vendorStories =
    sources.watched.length === 0
      ? 0
      : Number(
          (
            await storiesAboutWatchedVendors(db, sources)
              .where('thread_vendors.thread_id', '>', sources.seenVendorStoryId)
              .select(sql<number>`count(distinct threads.id)::int`.as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
  if (sources.storyIds.length === 0 && replies.length === 0)
    return sources.storedUnread + vendorStories;
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
  return sources.storedUnread + row.replies + unseenDecisions + vendorStories;
}

/**
 * What a "mark all read" form carries: what the page showed, so nothing newer is lost. The
 * replies and stories are marked up to the forum's newest when the page was shown, never up to
 * the newest one listed: that one could be a reply in the member's own anonymous story, and a
 * pointer to it, kept in their row, would tie them to it in a dump.
 */
export interface ShownNotices {
  repliesUpTo: number;
  /** A representative's notices of new stories about their vendor. */
  vendorStoriesUpTo: number;
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
  const shown = {
    repliesUpTo: 0,
    vendorStoriesUpTo: 0,
    noticesUpTo: new Date().toISOString(),
    decisions: [],
  };
  if (!sources) return { items: [], shown };
  const wanted = offset + limit + 1;
  // Read first: anything posted while the lists are read stays new.
  const newest = await db
    .selectNoFrom([
      sql<number>`coalesce((select max(id) from replies), 0)`.as('reply'),
      sql<number>`coalesce((select max(id) from threads), 0)`.as('thread'),
    ])
    .executeTakeFirstOrThrow();
  const [stored, replies, decisions, vendorStories] = await Promise.all([
    listStored(db, anonymity, memberId, wanted),
    listReplyNotices(db, sources, wanted),
    listAnonymousDecisions(db, sources),
    listVendorStoryNotices(db, sources, wanted),
  ]);
  const items = [...stored, ...replies, ...decisions, ...vendorStories]
    .sort((a, b) => b.created_at.getTime() - a.created_at.getTime())
    .slice(offset, offset + limit + 1);
  return {
    items,
    shown: {
      repliesUpTo: Math.max(sources.seenReplyId, newest.reply),
      vendorStoriesUpTo: Math.max(sources.seenVendorStoryId, newest.thread),
      noticesUpTo: shown.noticesUpTo,
      decisions: decisions.map((item) => item.key),
    },
  };
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
        vendor_stories_seen_id: sql<number>`greatest(vendor_stories_seen_id,
          least(${shown.vendorStoriesUpTo}::int, coalesce((select max(id) from threads), 0)))`,
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
