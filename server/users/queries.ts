import { authorVendor } from '../posts/authors.js';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

/** A member's public face. Suspension is left out on purpose: it could name an anonymous author. */
export function findProfile(db: Kysely<DB>, username: string) {
  return db
    .selectFrom('users')
    .select(['id', 'username', 'company', 'bio', 'created_at', authorVendor('users')])
    .where(sql<string>`lower(username)`, '=', username.toLowerCase())
    .executeTakeFirst();
}

/** Counts of the member's posts under their name; anonymous posts never count here. */
export async function countPublicPosts(db: Kysely<DB>, userId: number) {
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('threads')
        .select(eb.fn.countAll<number>().as('n'))
        .where('author_id', '=', userId)
        .where('deleted_at', 'is', null)
        .where('hidden_at', 'is', null)
        .as('stories'),
      eb
        .selectFrom('replies')
        .select(eb.fn.countAll<number>().as('n'))
        .where('author_id', '=', userId)
        .where('deleted_at', 'is', null)
        .where('hidden_at', 'is', null)
        .as('replies'),
    ])
    .executeTakeFirstOrThrow();
  return { stories: Number(row.stories), replies: Number(row.replies) };
}

export function listPublicReplies(db: Kysely<DB>, userId: number, limit: number) {
  return db
    .selectFrom('replies')
    .innerJoin('threads', 'threads.id', 'replies.thread_id')
    .select([
      'replies.id',
      'replies.created_at',
      'threads.id as thread_id',
      'threads.title as thread_title',
      'threads.deleted_at as thread_deleted_at',
      'threads.hidden_at as thread_hidden_at',
    ])
    .where('replies.author_id', '=', userId)
    .where('replies.deleted_at', 'is', null)
    .where('replies.hidden_at', 'is', null)
    .orderBy('replies.id', 'desc')
    .limit(limit)
    .execute();
}
