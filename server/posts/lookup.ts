import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { notFound } from '../http-errors.js';
import type { PostKind } from './vocabulary.js';

/** A story or a reply, as votes, reports and moderation see it: its author columns and state. */
export interface Post {
  kind: PostKind;
  id: number;
  threadId: number;
  anonymous: boolean;
  authorId: number | null;
  authorTag: string | null;
  authorBox: string | null;
  hidden: boolean;
  held: boolean;
  deleted: boolean;
}

/** The post, or a 404 page's error. */
export async function findPost(db: Kysely<DB>, kind: PostKind, id: number): Promise<Post> {
  const columns = [
    'anonymous',
    'author_id',
    'author_tag',
    'author_box',
    'hidden_at',
    'held_for_review',
    'deleted_at',
  ] as const;
  const row =
    kind === 'thread'
      ? await db
          .selectFrom('threads')
          .select(['id', 'id as thread_id', ...columns])
          .where('id', '=', id)
          .executeTakeFirst()
      : await db
          .selectFrom('replies')
          .select(['id', 'thread_id', ...columns])
          .where('id', '=', id)
          .executeTakeFirst();
  if (!row) throw notFound(`There is no such ${kind === 'thread' ? 'story' : 'reply'}.`);
  return {
    kind,
    id: row.id,
    threadId: row.thread_id,
    anonymous: row.anonymous,
    authorId: row.author_id,
    authorTag: row.author_tag,
    authorBox: row.author_box,
    hidden: row.hidden_at !== null,
    held: row.held_for_review,
    deleted: row.deleted_at !== null,
  };
}
