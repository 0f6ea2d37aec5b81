import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Anonymity } from '../security/anonymity.js';
import { readLedger } from '../security/anonymous-ledger.js';

/**
 * The member's own anonymous stories and replies, for their account page only: the sealed ledger
 * names them, and the per-thread tag confirms each, so nothing but the member's own is shown.
 */
export async function listOwnAnonymousPosts(
  db: Kysely<DB>,
  anonymity: Anonymity,
  memberId: number,
) {
  const ledger = await readLedger(db, anonymity, memberId);
  const [threads, replies] = await Promise.all([
    ledger.threads.length === 0
      ? []
      : db
          .selectFrom('threads')
          .select(['id', 'title', 'slug', 'author_tag', 'created_at', 'hidden_at'])
          .where('id', 'in', ledger.threads)
          .where('deleted_at', 'is', null)
          .orderBy('id', 'desc')
          .execute(),
    ledger.replies.length === 0
      ? []
      : db
          .selectFrom('replies')
          .innerJoin('threads', 'threads.id', 'replies.thread_id')
          .select([
            'replies.id',
            'replies.thread_id',
            'replies.author_tag',
            'replies.created_at',
            'replies.hidden_at',
            'threads.title as thread_title',
          ])
          .where('replies.id', 'in', ledger.replies)
          .where('replies.deleted_at', 'is', null)
          .orderBy('replies.id', 'desc')
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
