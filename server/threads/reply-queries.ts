import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, RepliesTable } from '../db/schema.js';
import { prepared } from '../db/prepared.js';
import { authorVendor } from '../posts/authors.js';
import { deletionTime, postTime, type NewPost } from './post-times.js';

/** Adds a reply and counts it on its story. */
export async function insertReply(trx: Transaction<DB>, reply: NewPost<RepliesTable>) {
  const row = await trx
    .insertInto('replies')
    .values({ ...reply, created_at: postTime(reply.anonymous) })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .updateTable('threads')
    .set((eb) => ({ reply_count: eb('reply_count', '+', 1) }))
    .where('id', '=', reply.thread_id)
    .execute();
  return row.id;
}

/** Replies of a story in the order written, with their authors' usernames. */
/**
 * A page of a story's replies, oldest first; with `voterId`, that member's own vote on each (0
 * for none), so that the story page needs no query of its own for them.
 */
export async function listReplies(
  db: Kysely<DB>,
  threadId: number,
  offset: number,
  limit: number,
  voterId: number | null = null,
) {
  return repliesPage(db, { threadId, offset, limit, voterId });
}

const repliesPage = prepared(
  (db, values: { threadId: number; offset: number; limit: number; voterId: number | null }) =>
    db
      .selectFrom('replies')
      .leftJoin('users', 'users.id', 'replies.author_id')
      .leftJoin('reply_votes as own', (join) =>
        join.onRef('own.post_id', '=', 'replies.id').on('own.user_id', '=', values.voterId),
      )
      .select([
        'replies.id',
        'replies.body_html',
        'replies.anonymous',
        'replies.author_id',
        'replies.author_tag',
        'replies.pseudonym',
        'replies.held_for_review',
        'replies.score',
        'replies.created_at',
        'replies.edited_at',
        'replies.deleted_at',
        'replies.hidden_at',
        'replies.hidden_reason',
        'users.username as author_username',
        authorVendor(),
        sql<number>`coalesce(own.value, 0)`.as('own_vote'),
      ])
      .where('replies.thread_id', '=', values.threadId)
      // Official responses are shown above the replies (findThread), not among them.
      .where('replies.official_vendor_id', 'is', null)
      .orderBy('replies.id')
      .offset(values.offset)
      .limit(values.limit),
);

/** What an edit needs: the current text, the author columns, and whether its story is closed. */
export function findReplyForEdit(db: Kysely<DB>, id: number) {
  return db
    .selectFrom('replies')
    .select([
      'id',
      'thread_id',
      'body_source',
      'anonymous',
      'author_id',
      'author_tag',
      'created_at',
      'edited_at',
      'deleted_at',
      'hidden_at',
      'held_for_review',
      'official_vendor_id',
      (eb) =>
        eb
          .selectFrom('threads')
          .select('threads.locked_at')
          .whereRef('threads.id', '=', 'replies.thread_id')
          .as('thread_locked_at'),
      (eb) =>
        eb
          .selectFrom('threads')
          .select('threads.hidden_at')
          .whereRef('threads.id', '=', 'replies.thread_id')
          .as('thread_hidden_at'),
    ])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** How many replies come before this one: tells which page of its thread shows it. */
export async function countRepliesBefore(db: Kysely<DB>, threadId: number, replyId: number) {
  const row = await db
    .selectFrom('replies')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('thread_id', '=', threadId)
    .where('official_vendor_id', 'is', null)
    .where('id', '<', replyId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function updateReply(
  trx: Transaction<DB>,
  id: number,
  changes: { body_source: string; body_html: string },
  anonymous: boolean,
) {
  await trx
    .updateTable('replies')
    .set({ ...changes, edited_at: postTime(anonymous) })
    .where('id', '=', id)
    .execute();
}

/** Empties a deleted reply and drops its earlier versions with it. */
export async function markReplyDeleted(trx: Transaction<DB>, id: number) {
  await trx
    .updateTable('replies')
    .set({ deleted_at: deletionTime(), body_source: '', body_html: '' })
    .where('id', '=', id)
    .execute();
  await trx.deleteFrom('revisions').where('reply_id', '=', id).execute();
}
