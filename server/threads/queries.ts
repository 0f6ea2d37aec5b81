import { sql, type Insertable, type Kysely, type Updateable } from 'kysely';
import type { AreaRatings } from '../posts/vocabulary.js';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { DB, RepliesTable, ThreadsTable } from '../db/schema.js';
import { hotRankSql, type Sort, type TopPeriod } from './ranking.js';

// Columns a page may show of a post. author_tag leaves this module only to be turned into a
// ownership check; author_box never does.
const THREAD_COLUMNS = [
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
] as const;

export async function nextThreadId(db: Kysely<DB>): Promise<number> {
  const { rows } = await sql<{
    id: number;
  }>`select nextval(pg_get_serial_sequence('threads', 'id'))::int as id`.execute(db);
  return rows[0]!.id;
}

type NewPost<T> = Omit<Insertable<T>, 'created_at'> & { anonymous: boolean };

export async function insertThread(db: Kysely<DB>, thread: NewPost<ThreadsTable>) {
  const createdAt = postTime(thread.anonymous);
  await db
    .insertInto('threads')
    .values({ ...thread, created_at: createdAt, hot_rank: hotRankSql(0, createdAt) })
    .execute();
}

export async function insertThreadVendors(
  db: Kysely<DB>,
  threadId: number,
  vendors: { vendorId: number; voiceKey: string | null }[],
) {
  await db
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

export async function replaceThreadAreas(db: Kysely<DB>, threadId: number, ratings: AreaRatings) {
  await db.deleteFrom('thread_areas').where('thread_id', '=', threadId).execute();
  const rows = Object.entries(ratings).map(([area, rating]) => ({
    thread_id: threadId,
    area,
    rating,
  }));
  if (rows.length > 0) await db.insertInto('thread_areas').values(rows).execute();
}

/** Stories with this exact title and body posted since `since`: candidates for a double submit. */
export function listRecentTwins(db: Kysely<DB>, title: string, bodySource: string, since: Date) {
  return db
    .selectFrom('threads')
    .select(['id', 'slug', 'author_id', 'author_tag'])
    .where('created_at', '>=', sql<Date>`date_trunc('hour', ${since}::timestamptz)`)
    .where('title', '=', title)
    .where('body_source', '=', bodySource)
    .where('deleted_at', 'is', null)
    .execute();
}

/** Replies in the thread with this exact body posted since `since`: candidates for a double submit. */
export function listRecentReplyTwins(
  db: Kysely<DB>,
  threadId: number,
  bodySource: string,
  since: Date,
) {
  return (
    db
      .selectFrom('replies')
      .select(['id', 'anonymous', 'author_id', 'author_tag'])
      .where('thread_id', '=', threadId)
      // Anonymous replies are timed to the hour.
      .where('created_at', '>=', sql<Date>`date_trunc('hour', ${since}::timestamptz)`)
      .where('body_source', '=', bodySource)
      .where('deleted_at', 'is', null)
      .execute()
  );
}

/** The story with its author's username (null when anonymous), its vendors and its ratings. */
export function findThread(db: Kysely<DB>, id: number) {
  return db
    .selectFrom('threads')
    .leftJoin('users', 'users.id', 'threads.author_id')
    .select([...THREAD_COLUMNS, 'users.username as author_username'])
    .select('threads.vendor_tags as vendors')
    .select((eb) =>
      jsonArrayFrom(
        eb
          .selectFrom('thread_areas')
          .select(['area', 'rating'])
          .whereRef('thread_areas.thread_id', '=', 'threads.id'),
      ).as('areas'),
    )
    .where('threads.id', '=', id)
    .executeTakeFirst();
}

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

export interface ThreadListFilter {
  vendorId?: number;
  authorId?: number;
  sort?: Sort;
  /** With sort "top": only stories posted within this period. */
  period?: TopPeriod;
  offset: number;
  limit: number;
}

const PERIOD_DAYS: Record<TopPeriod, number | null> = { week: 7, month: 31, year: 366, all: null };
const topSince = (period: TopPeriod | undefined) => PERIOD_DAYS[period ?? 'all'];

/**
 * Stories in the asked order (newest first by default) with their vendors, in one query, for
 * the front page and profiles; one row more than the page to tell if another follows.
 */
export function listThreads(db: Kysely<DB>, filter: ThreadListFilter) {
  if (filter.vendorId !== undefined) return listVendorThreads(db, filter.vendorId, filter);
  const since = filter.sort === 'top' ? topSince(filter.period) : null;
  return db
    .selectFrom('threads')
    .leftJoin('users', 'users.id', 'threads.author_id')
    .select([...THREAD_COLUMNS, 'users.username as author_username'])
    .select('threads.vendor_tags as vendors')
    .where('threads.deleted_at', 'is', null)
    .where('threads.hidden_at', 'is', null)
    .$if(filter.authorId !== undefined, (query) =>
      query.where('threads.author_id', '=', filter.authorId!),
    )
    .$if(since !== null, (query) =>
      query.where('threads.created_at', '>=', sql<Date>`now() - make_interval(days => ${since})`),
    )
    .$if(filter.sort === 'hot', (query) => query.orderBy('threads.hot_rank', 'desc'))
    .$if(filter.sort === 'top', (query) => query.orderBy('threads.score', 'desc'))
    .orderBy('threads.id', 'desc')
    .offset(filter.offset)
    .limit(filter.limit + 1)
    .execute();
}

/**
 * One vendor's stories, ordered through the copy of score and rank kept in thread_vendors, so
 * that a vendor with thousands of stories is an index scan, not a sort.
 */
function listVendorThreads(db: Kysely<DB>, vendorId: number, filter: ThreadListFilter) {
  const since = filter.sort === 'top' ? topSince(filter.period) : null;
  return db
    .selectFrom('thread_vendors as tv')
    .innerJoin('threads', 'threads.id', 'tv.thread_id')
    .leftJoin('users', 'users.id', 'threads.author_id')
    .select([...THREAD_COLUMNS, 'users.username as author_username'])
    .select('threads.vendor_tags as vendors')
    .where('tv.vendor_id', '=', vendorId)
    .where('tv.visible', '=', true)
    .$if(since !== null, (query) =>
      query.where('threads.created_at', '>=', sql<Date>`now() - make_interval(days => ${since})`),
    )
    .$if(filter.sort === 'hot', (query) => query.orderBy('tv.hot_rank', 'desc'))
    .$if(filter.sort === 'top', (query) => query.orderBy('tv.score', 'desc'))
    .orderBy('tv.thread_id', 'desc')
    .offset(filter.offset)
    .limit(filter.limit + 1)
    .execute();
}

export async function updateThread(
  db: Kysely<DB>,
  id: number,
  changes: Pick<
    Updateable<ThreadsTable>,
    'title' | 'slug' | 'body_source' | 'body_html' | 'sentiment' | 'tier' | 'tier_key'
  >,
  anonymous: boolean,
) {
  await db
    .updateTable('threads')
    .set({ ...changes, edited_at: postTime(anonymous) })
    .where('id', '=', id)
    .execute();
}

export async function markThreadDeleted(db: Kysely<DB>, id: number) {
  await db
    .updateTable('threads')
    .set({ deleted_at: deletionTime(), title: '[deleted]', body_source: '', body_html: '' })
    .where('id', '=', id)
    .execute();
  await db.deleteFrom('revisions').where('thread_id', '=', id).execute();
}

export function listThreadVendorIds(db: Kysely<DB>, threadId: number) {
  return db
    .selectFrom('thread_vendors')
    .select('vendor_id')
    .where('thread_id', '=', threadId)
    .execute()
    .then((rows) => rows.map((row) => row.vendor_id));
}

// ---- replies ----

export async function insertReply(db: Kysely<DB>, reply: NewPost<RepliesTable>) {
  const row = await db
    .insertInto('replies')
    .values({ ...reply, created_at: postTime(reply.anonymous) })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .updateTable('threads')
    .set((eb) => ({ reply_count: eb('reply_count', '+', 1) }))
    .where('id', '=', reply.thread_id)
    .execute();
  return row.id;
}

/** Replies of a story in the order written, with their authors' usernames. */
export function listReplies(db: Kysely<DB>, threadId: number, offset: number, limit: number) {
  return db
    .selectFrom('replies')
    .leftJoin('users', 'users.id', 'replies.author_id')
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
    ])
    .where('replies.thread_id', '=', threadId)
    .orderBy('replies.id')
    .offset(offset)
    .limit(limit)
    .execute();
}

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
    .where('id', '<', replyId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function updateReply(
  db: Kysely<DB>,
  id: number,
  changes: { body_source: string; body_html: string },
  anonymous: boolean,
) {
  await db
    .updateTable('replies')
    .set({ ...changes, edited_at: postTime(anonymous) })
    .where('id', '=', id)
    .execute();
}

export async function markReplyDeleted(db: Kysely<DB>, id: number) {
  await db
    .updateTable('replies')
    .set({ deleted_at: deletionTime(), body_source: '', body_html: '' })
    .where('id', '=', id)
    .execute();
  await db.deleteFrom('revisions').where('reply_id', '=', id).execute();
}

export async function insertRevision(
  db: Kysely<DB>,
  revision: {
    thread_id?: number;
    reply_id?: number;
    title?: string;
    body_source: string;
    created_at: Date;
  },
) {
  await db.insertInto('revisions').values(revision).execute();
}

// ---- tiers ----

export function findTierLabel(db: Kysely<DB>, tierKey: string) {
  return db
    .selectFrom('partner_tiers')
    .select('label')
    .where('tier_key', '=', tierKey)
    .executeTakeFirst();
}

export async function recordTierUse(db: Kysely<DB>, tierKey: string, label: string) {
  await db
    .insertInto('partner_tiers')
    .values({ tier_key: tierKey, label, uses: 1 })
    .onConflict((oc) =>
      oc.column('tier_key').doUpdateSet((eb) => ({ uses: eb('partner_tiers.uses', '+', 1) })),
    )
    .execute();
}

export function listTierSuggestions(db: Kysely<DB>, limit = 50) {
  return db
    .selectFrom('partner_tiers')
    .select('label')
    .orderBy('uses', 'desc')
    .orderBy('label')
    .limit(limit)
    .execute();
}

/** When a post was deleted: to the hour for an anonymous post, like its other times. */
function deletionTime() {
  return sql<Date>`case when anonymous then date_trunc('hour', now()) else now() end`;
}

/** Anonymous posts keep their time only to the hour, so that it cannot be matched to a visit. */
export function postTime(anonymous: boolean) {
  return anonymous ? sql<Date>`date_trunc('hour', now())` : sql<Date>`now()`;
}
