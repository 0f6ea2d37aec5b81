import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import type { PostKind } from '../posts/vocabulary.js';
import { copyToVendorRows } from '../reputation/story-standing.js';
import { hotRankSql } from '../threads/ranking.js';

export type VoteValue = -1 | 0 | 1;

const TABLES = { thread: 'thread_votes', reply: 'reply_votes' } as const;

/**
 * Sets a member's vote on a post (0 retracts it) and moves the post's score by the difference,
 * in one transaction. Returns the new score.
 */
export async function castVote(
  db: Kysely<DB>,
  kind: PostKind,
  postId: number,
  userId: number,
  value: VoteValue,
) {
  return inTransaction(db, async (trx) => {
    const delta = await replaceVote(trx, kind, postId, userId, value);
    return moveScore(trx, kind, postId, delta);
  });
}

/** Writes the member's vote (0: none) and tells by how much it changes the score. */
async function replaceVote(
  trx: Transaction<DB>,
  kind: PostKind,
  postId: number,
  userId: number,
  value: VoteValue,
) {
  const table = TABLES[kind];
  const previous = await trx
    .selectFrom(table)
    .select('value')
    .where('post_id', '=', postId)
    .where('user_id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
  if (value === 0) {
    await trx
      .deleteFrom(table)
      .where('post_id', '=', postId)
      .where('user_id', '=', userId)
      .execute();
  } else {
    await trx
      .insertInto(table)
      .values({ post_id: postId, user_id: userId, value })
      .onConflict((oc) => oc.columns(['post_id', 'user_id']).doUpdateSet({ value }))
      .execute();
  }
  return value - (previous?.value ?? 0);
}

/** Moves a post's score; a story's hot rank and its vendors' copy of both move with it. */
async function moveScore(trx: Transaction<DB>, kind: PostKind, postId: number, delta: number) {
  if (kind === 'reply') {
    const row = await trx
      .updateTable('replies')
      .set((eb) => ({ score: eb('score', '+', delta) }))
      .where('id', '=', postId)
      .returning('score')
      .executeTakeFirstOrThrow();
    return row.score;
  }
  const row = await trx
    .updateTable('threads')
    .set({
      score: sql`score + ${delta}`,
      hot_rank: hotRankSql(sql<number>`score + ${delta}`, sql<Date>`created_at`),
    })
    .where('id', '=', postId)
    .returning('score')
    .executeTakeFirstOrThrow();
  await copyToVendorRows(trx, [postId]);
  return row.score;
}

/** What a vote needs to know of the post: its thread (for the author tag), author columns, state. */
export function findVoteTarget(db: Kysely<DB>, kind: PostKind, postId: number) {
  if (kind === 'thread') {
    return db
      .selectFrom('threads')
      .select([
        'id',
        'id as thread_id',
        'slug',
        'anonymous',
        'author_id',
        'author_tag',
        'deleted_at',
        'hidden_at',
        'vendor_tags as vendors',
      ])
      .where('id', '=', postId)
      .executeTakeFirst();
  }
  return db
    .selectFrom('replies')
    .innerJoin('threads', 'threads.id', 'replies.thread_id')
    .select([
      'replies.id',
      'replies.thread_id',
      'threads.slug',
      'replies.anonymous',
      'replies.author_id',
      'replies.author_tag',
      'threads.vendor_tags as vendors',
      // A reply under a deleted or hidden story is as closed as the story.
      sql<Date | null>`coalesce(replies.deleted_at, threads.deleted_at)`.as('deleted_at'),
      sql<Date | null>`coalesce(replies.hidden_at, threads.hidden_at)`.as('hidden_at'),
    ])
    .where('replies.id', '=', postId)
    .executeTakeFirst();
}
