import { sql, type Kysely, type Transaction, type Updateable } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { DB, ThreadsTable } from '../db/schema.js';
import type { AreaRatings } from '../posts/vocabulary.js';
import { prepared } from '../db/prepared.js';
import { authorVendor } from '../posts/authors.js';
import { deletionTime, postTime, type NewPost } from './post-times.js';
import { hotRankSql } from './ranking.js';

// Columns a page may show of a story. author_tag leaves this folder only to be turned into an
// ownership check; author_box never does.
export const THREAD_COLUMNS = [
  'threads.id',
  'threads.title',
  'threads.slug',
  'threads.body_html',
  'threads.sentiment',
  'threads.tier',
  'threads.anonymous',
  'threads.author_id',
  'threads.author_tag',
  'threads.pseudonym',
  'threads.held_for_review',
  'threads.reply_count',
  'threads.score',
  'threads.created_at',
  'threads.edited_at',
  'threads.deleted_at',
  'threads.hidden_at',
  'threads.hidden_reason',
  'threads.locked_at',
  'threads.resolution',
  'threads.responses',
] as const;

/** A new story's id, taken before its row is written (its author tag is derived from it). */
export async function nextThreadId(trx: Transaction<DB>): Promise<number> {
  const { rows } = await sql<{
    id: number;
  }>`select nextval(pg_get_serial_sequence('threads', 'id'))::int as id`.execute(trx);
  return rows[0]!.id;
}

export async function insertThread(trx: Transaction<DB>, thread: NewPost<ThreadsTable>) {
  const createdAt = postTime(thread.anonymous);
  await trx
    .insertInto('threads')
    .values({ ...thread, created_at: createdAt, hot_rank: hotRankSql(0, createdAt) })
    .execute();
}

export async function insertThreadVendors(
  trx: Transaction<DB>,
  threadId: number,
  vendors: { vendorId: number; voiceKey: string | null }[],
) {
  await trx
    .insertInto('thread_vendors')
    .values(
      vendors.map(({ vendorId, voiceKey }, position) => ({
        thread_id: threadId,
        vendor_id: vendorId,
        position,
        voice_key: voiceKey,
      })),
    )
    .execute();
}

export async function replaceThreadAreas(
  trx: Transaction<DB>,
  threadId: number,
  ratings: AreaRatings,
) {
  await trx.deleteFrom('thread_areas').where('thread_id', '=', threadId).execute();
  const rows = Object.entries(ratings).map(([area, rating]) => ({
    thread_id: threadId,
    area,
    rating,
  }));
  if (rows.length > 0) await trx.insertInto('thread_areas').values(rows).execute();
}

/** The story with its author's username (null when anonymous), its vendors and its ratings. */
/**
 * A story with its vendors and ratings; with `voterId`, that member's own vote on it too (0 for
 * none), so that the story page needs no query of its own for it.
 */
export async function findThread(db: Kysely<DB>, id: number, voterId: number | null = null) {
  const [thread] = await threadWithVote(db, { id, voterId });
  return thread;
}

const threadWithVote = prepared((db, values: { id: number; voterId: number | null }) =>
  db
    .selectFrom('threads')
    .leftJoin('users', 'users.id', 'threads.author_id')
    .select([...THREAD_COLUMNS, 'users.username as author_username', authorVendor()])
    .select('threads.vendor_tags as vendors')
    .select((eb) =>
      jsonArrayFrom(
        eb
          .selectFrom('thread_areas')
          .select(['area', 'rating'])
          .whereRef('thread_areas.thread_id', '=', 'threads.id'),
      ).as('areas'),
    )
    .select(
      sql<number>`coalesce((select value from thread_votes where post_id = threads.id and user_id = ${values.voterId}), 0)`.as(
        'own_vote',
      ),
    )
    .select((eb) =>
      jsonArrayFrom(
        eb
          .selectFrom('replies as o')
          .innerJoin('vendors as ov', 'ov.id', 'o.official_vendor_id')
          .leftJoin('users as ou', 'ou.id', 'o.author_id')
          .select([
            'o.id',
            'o.body_html',
            'o.score',
            'o.created_at',
            'o.edited_at',
            'o.hidden_at',
            'o.hidden_reason',
            'o.held_for_review',
            'o.author_id',
            'ou.username as author_username',
            'ov.id as vendor_id',
            'ov.name as vendor_name',
            'ov.slug as vendor_slug',
          ])
          .select(
            sql<number>`coalesce((select value from reply_votes where post_id = o.id and user_id = ${values.voterId}), 0)`.as(
              'own_vote',
            ),
          )
          .whereRef('o.thread_id', '=', 'threads.id')
          .where('o.official_vendor_id', 'is not', null)
          .where('o.deleted_at', 'is', null)
          .orderBy('o.id'),
      ).as('official_responses'),
    )
    .where('threads.id', '=', values.id),
);

export type ThreadRow = NonNullable<Awaited<ReturnType<typeof findThread>>>;

/** What an edit needs: the current text and the author columns for the ownership check. */
export function findThreadForEdit(db: Kysely<DB>, id: number) {
  return db
    .selectFrom('threads')
    .select([
      'id',
      'slug',
      'title',
      'body_source',
      'sentiment',
      'tier',
      'anonymous',
      'author_id',
      'author_tag',
      'created_at',
      'edited_at',
      'deleted_at',
      'hidden_at',
      'held_for_review',
    ])
    .where('id', '=', id)
    .executeTakeFirst();
}

export function listThreadAreas(db: Kysely<DB>, threadId: number) {
  return db
    .selectFrom('thread_areas')
    .select(['area', 'rating'])
    .where('thread_id', '=', threadId)
    .execute();
}

export async function updateThread(
  trx: Transaction<DB>,
  id: number,
  changes: Pick<
    Updateable<ThreadsTable>,
    'title' | 'slug' | 'body_source' | 'body_html' | 'excerpt' | 'sentiment' | 'tier' | 'tier_key'
  >,
  anonymous: boolean,
) {
  await trx
    .updateTable('threads')
    .set({ ...changes, edited_at: postTime(anonymous) })
    .where('id', '=', id)
    .execute();
}

/** Empties a deleted story and drops its earlier versions with it. */
export async function markThreadDeleted(trx: Transaction<DB>, id: number) {
  await trx
    .updateTable('threads')
    .set({
      deleted_at: deletionTime(),
      title: '[deleted]',
      slug: 'deleted',
      body_source: '',
      body_html: '',
      excerpt: '',
    })
    .where('id', '=', id)
    .execute();
  await trx.deleteFrom('revisions').where('thread_id', '=', id).execute();
}

export function listThreadVendorIds(db: Kysely<DB>, threadId: number) {
  return db
    .selectFrom('thread_vendors')
    .select('vendor_id')
    .where('thread_id', '=', threadId)
    .execute()
    .then((rows) => rows.map((row) => row.vendor_id));
}
