import type { FastifyInstance } from 'fastify';
import { sql, type Kysely } from 'kysely';
import { preparedByShape } from '../db/prepared.js';
import type { DB } from '../db/schema.js';
import { offsetOf, toPage } from '../pagination.js';
import { authorVendor, withAuthor } from '../posts/authors.js';
import type { Sort, TopPeriod } from './ranking.js';

/**
 * What a list of stories shows (threads/thread-list.eta): no text, and none of the moderation
 * columns, since lists only hold visible stories. A story's text is read for its page and the
 * feeds alone: twenty bodies read, sent and parsed for a list of titles showed in profiles.
 */
export const LIST_COLUMNS = [
  'threads.id',
  'threads.title',
  'threads.slug',
  'threads.excerpt',
  'threads.sentiment',
  'threads.tier',
  'threads.anonymous',
  'threads.author_id',
  'threads.pseudonym',
  'threads.reply_count',
  'threads.score',
  'threads.created_at',
  'threads.edited_at',
  'threads.resolution',
  'threads.responses',
] as const;

export const THREADS_PER_PAGE = 20;

/** A page of story summaries with their vendors: one query, however many stories it shows. */
export async function loadThreadList(
  app: FastifyInstance,
  filter: Omit<ThreadListFilter, 'offset' | 'limit'>,
  page: number,
  perPage = THREADS_PER_PAGE,
) {
  const rows = await listThreads(app.db, {
    ...filter,
    offset: offsetOf(page, perPage),
    limit: perPage,
  });
  const result = toPage(rows, page, perPage);
  return { ...result, items: result.items.map((thread) => withAuthor(thread)) };
}

export interface ThreadListFilter {
  vendorId?: number;
  authorId?: number;
  sort?: Sort;
  /** With sort "top": only stories posted within this period. */
  period?: TopPeriod;
  /** With each story's text as HTML (the feeds). */
  withBody?: boolean;
  offset: number;
  limit: number;
}

const PERIOD_DAYS: Record<TopPeriod, number | null> = { week: 7, month: 31, year: 366, all: null };
const topSince = (period: TopPeriod | undefined) => PERIOD_DAYS[period ?? 'all'];

/** What a list query takes as values, once its shape is known (see listShape). */
interface ListValues {
  vendorId: number | null;
  authorId: number | null;
  since: number | null;
  offset: number;
  limit: number;
}

/**
 * Stories in the asked order (newest first by default) with their vendors, in one query, for
 * the front page, profiles and vendor pages; one row more than the page to tell if another
 * follows. Each shape of the query (its order, and which filters it has) is built and compiled
 * once (db/prepared.ts); the values change from call to call.
 */
export function listThreads(db: Kysely<DB>, filter: ThreadListFilter) {
  const since = filter.sort === 'top' ? topSince(filter.period) : null;
  const shape: ListShape = {
    byVendor: filter.vendorId !== undefined,
    byAuthor: filter.authorId !== undefined,
    recent: since !== null,
    sort: filter.sort ?? 'new',
    withBody: filter.withBody === true,
  };
  return listPage(db, shape, {
    vendorId: filter.vendorId ?? null,
    authorId: filter.authorId ?? null,
    since,
    offset: filter.offset,
    limit: filter.limit + 1,
  });
}

interface ListShape {
  byVendor: boolean;
  byAuthor: boolean;
  recent: boolean;
  sort: Sort;
  withBody: boolean;
}

const listPage = preparedByShape((db, values: ListValues, shape: ListShape) =>
  shape.byVendor ? vendorThreads(db, shape, values) : allThreads(db, shape, values),
);

/** The start of a "top of the week/month/year" period, for both kinds of list. */
const daysAgo = (days: number | null) => sql<Date>`now() - make_interval(days => ${days})`;

function allThreads(db: Kysely<DB>, shape: ListShape, values: ListValues) {
  return db
    .selectFrom('threads')
    .leftJoin('users', 'users.id', 'threads.author_id')
    .select([...LIST_COLUMNS, 'users.username as author_username', authorVendor()])
    .select('threads.vendor_tags as vendors')
    .$if(shape.withBody, (query) => query.select('threads.body_html'))
    .where('threads.deleted_at', 'is', null)
    .where('threads.hidden_at', 'is', null)
    .$if(shape.byAuthor, (query) => query.where('threads.author_id', '=', values.authorId))
    .$if(shape.recent, (query) => query.where('threads.created_at', '>=', daysAgo(values.since)))
    .$if(shape.sort === 'hot', (query) => query.orderBy('threads.hot_rank', 'desc'))
    .$if(shape.sort === 'top', (query) => query.orderBy('threads.score', 'desc'))
    .orderBy('threads.id', 'desc')
    .offset(values.offset)
    .limit(values.limit);
}

/**
 * One vendor's stories, ordered through the copy of score and rank kept in thread_vendors, so
 * that a vendor with thousands of stories is an index scan, not a sort.
 */
function vendorThreads(db: Kysely<DB>, shape: ListShape, values: ListValues) {
  return db
    .selectFrom('thread_vendors as tv')
    .innerJoin('threads', 'threads.id', 'tv.thread_id')
    .leftJoin('users', 'users.id', 'threads.author_id')
    .select([...LIST_COLUMNS, 'users.username as author_username', authorVendor()])
    .select('threads.vendor_tags as vendors')
    .$if(shape.withBody, (query) => query.select('threads.body_html'))
    .where('tv.vendor_id', '=', values.vendorId)
    .where('tv.visible', '=', true)
    .$if(shape.recent, (query) => query.where('threads.created_at', '>=', daysAgo(values.since)))
    .$if(shape.sort === 'hot', (query) => query.orderBy('tv.hot_rank', 'desc'))
    .$if(shape.sort === 'top', (query) => query.orderBy('tv.score', 'desc'))
    .orderBy('tv.thread_id', 'desc')
    .offset(values.offset)
    .limit(values.limit);
}
