import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Anonymity } from '../security/anonymity.js';

const CANDIDATES = 500;

/**
 * The member's own anonymous stories and replies, for their account page only. The owner hint
 * (one byte) narrows the rows; the per-thread tag then decides, so other members' posts that
 * share the hint are dropped here and never shown.
 */
export async function listOwnAnonymousPosts(
  db: Kysely<DB>,
  anonymity: Anonymity,
  memberId: number,
) {
  const hint = anonymity.ownerHint(memberId);
  const [threads, replies] = await Promise.all([
    db
      .selectFrom('threads')
      .select(['id', 'title', 'slug', 'author_tag', 'created_at'])
      .where('owner_hint', '=', hint)
      .where('deleted_at', 'is', null)
      .orderBy('id', 'desc')
      .limit(CANDIDATES)
      .execute(),
    db
      .selectFrom('replies')
      .innerJoin('threads', 'threads.id', 'replies.thread_id')
      .select([
        'replies.id',
        'replies.thread_id',
        'replies.author_tag',
        'replies.created_at',
        'threads.title as thread_title',
      ])
      .where('replies.owner_hint', '=', hint)
      .where('replies.deleted_at', 'is', null)
      .orderBy('replies.id', 'desc')
      .limit(CANDIDATES)
      .execute(),
  ]);
  const mine = (threadId: number, tag: string | null) =>
    tag === anonymity.authorTag(threadId, memberId);
  return {
    threads: threads
      .filter((row) => mine(row.id, row.author_tag))
      .map(({ author_tag: _t, ...row }) => row),
    replies: replies
      .filter((row) => mine(row.thread_id, row.author_tag))
      .map(({ author_tag: _t, ...row }) => row),
  };
}
