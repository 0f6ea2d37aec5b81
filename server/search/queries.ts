import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB, VendorTag } from '../db/schema.js';
import type { Sentiment, AreaRating } from '../posts/vocabulary.js';

export interface SearchFilter {
  words: string;
  vendorId?: number;
  sentiment?: Sentiment;
  area?: { key: string; rating: AreaRating };
  tierKey?: string;
  offset: number;
  limit: number;
}

export interface SearchHit {
  kind: 'thread' | 'reply';
  post_id: number;
  thread_id: number;
  title: string;
  slug: string;
  vendors: VendorTag[];
  sentiment: Sentiment;
  anonymous: boolean;
  author_id: number | null;
  author_tag: string | null;
  pseudonym: string | null;
  author_username: string | null;
  created_at: Date;
  snippet: string;
}

/**
 * How many of the newest matching stories, and as many replies, a search ranks: one more than the
 * search page shows (50 pages of 20), so that it knows when there are more.
 */
export const CANDIDATES = 1001;

// Marks around matched words in snippets: control characters that no post can contain
// unescaped, turned into <mark> by the page after the rest is escaped.
export const MARK_START = '\u0001';
export const MARK_END = '\u0002';

/** Conditions on a story (alias t): visible, and every filter given. */
function storyConditions(filter: SearchFilter): RawBuilder<boolean> {
  const conditions = [sql`t.deleted_at is null`, sql`t.hidden_at is null`];
  if (filter.vendorId !== undefined) {
    conditions.push(
      sql`exists (select 1 from thread_vendors tv where tv.thread_id = t.id and tv.vendor_id = ${filter.vendorId})`,
    );
  }
  if (filter.sentiment) conditions.push(sql`t.sentiment = ${filter.sentiment}`);
  if (filter.area) {
    conditions.push(
      sql`exists (select 1 from thread_areas a where a.thread_id = t.id and a.area = ${filter.area.key} and a.rating = ${filter.area.rating})`,
    );
  }
  if (filter.tierKey) conditions.push(sql`t.tier_key = ${filter.tierKey}`);
  return sql<boolean>`${sql.join(conditions, sql` and `)}`;
}

/**
 * Stories and replies matching the words (PostgreSQL full-text search: words, "phrases",
 * -exclusions) and the filters, best match first among the newest CANDIDATES of each, with
 * highlighted snippets; hidden and deleted posts never match. Without words, the filtered
 * stories, newest first. One query.
 */
export async function search(db: Kysely<DB>, filter: SearchFilter): Promise<SearchHit[]> {
  const where = storyConditions(filter);
  const options = `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=35, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`;
  if (!filter.words) {
    const { rows } = await sql<SearchHit>`
      select 'thread' as kind, t.id as post_id, t.id as thread_id, t.title, t.slug, t.vendor_tags as vendors,
             t.sentiment, t.anonymous, t.author_id, t.author_tag, t.pseudonym, u.username as author_username, t.created_at,
             left(t.body_source, 240) as snippet
      from threads t left join users u on u.id = t.author_id
      where ${where}
      order by t.id desc offset ${filter.offset} limit ${filter.limit + 1}`.execute(db);
    return rows;
  }
  // Only the newest CANDIDATES matching stories and as many replies are ranked: a common word
  // matches tens of thousands of posts, and ranking reads each one's whole text vector. The
  // newest matches come from the id index or the GIN index, whichever the planner finds cheaper
  // for these words. Only kind, ids and rank go through the sort: the text and author of the one
  // page shown are read afterwards.
  const query = sql`websearch_to_tsquery('english', ${filter.words})`;
  const { rows } = await sql<SearchHit>`
    with thread_matches as (
      select t.id from threads t where t.search_vector @@ ${query} and ${where}
      order by t.id desc limit ${CANDIDATES}
    ), reply_matches as (
      select r.id from replies r join threads t on t.id = r.thread_id
      where r.search_vector @@ ${query} and r.deleted_at is null and r.hidden_at is null and ${where}
      order by r.id desc limit ${CANDIDATES}
    ), matches as (
      select 'thread' as kind, t.id as post_id, t.id as thread_id, ts_rank_cd(t.search_vector, ${query}) as rank
      from thread_matches m join threads t on t.id = m.id
      union all
      select 'reply', r.id, r.thread_id, ts_rank_cd(r.search_vector, ${query}) * 0.8
      from reply_matches m join replies r on r.id = m.id
      order by rank desc, post_id desc
      offset ${filter.offset} limit ${filter.limit + 1}
    )
    select m.kind, m.post_id, m.thread_id, t.title, t.slug, t.vendor_tags as vendors, t.sentiment,
           p.anonymous, p.author_id, p.author_tag, p.pseudonym, u.username as author_username, p.created_at,
           ts_headline('english', p.text, ${query}, ${options}) as snippet
    from matches m join threads t on t.id = m.thread_id
    cross join lateral (
      select t.anonymous, t.author_id, t.author_tag, t.pseudonym, t.created_at, t.body_source as text
      where m.kind = 'thread'
      union all
      select r.anonymous, r.author_id, r.author_tag, r.pseudonym, r.created_at, r.body_source
      from replies r where m.kind = 'reply' and r.id = m.post_id
    ) p
    left join users u on u.id = p.author_id
    order by m.rank desc, m.post_id desc`.execute(db);
  return rows;
}

/** Why words cannot make a search: nothing left of them, or only words to leave out. */
export type WordsProblem = 'no-words' | 'exclusions-only';

/**
 * Whether the words can be looked up in the full-text index. Words that are all too common or
 * carry no letters reduce to nothing; words only to leave out (-word, or "a or -b") would have to
 * read every post: PostgreSQL's querytree() says 'T' when no part of the query is indexable.
 */
export async function checkWords(db: Kysely<DB>, words: string): Promise<WordsProblem | null> {
  const { rows } = await sql<{
    tree: string;
  }>`select querytree(websearch_to_tsquery('english', ${words})) as tree`.execute(db);
  const tree = rows[0]?.tree ?? '';
  if (tree === '') return 'no-words';
  if (tree === 'T') return 'exclusions-only';
  return null;
}

/**
 * Runs the work in a transaction whose statements PostgreSQL cancels after `timeoutMs` (failing
 * with SQLSTATE 57014, see isStatementTimeout); other queries keep their own settings. PGlite
 * accepts the setting but cannot enforce it: its timer cannot fire while a statement runs.
 */
export async function withStatementTimeout<T>(
  db: Kysely<DB>,
  timeoutMs: number,
  work: (trx: Kysely<DB>) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    // A plan made for this search's words: a generic plan of the prepared statement cannot
    // know whether they match ten posts or half of them.
    await sql`select set_config('statement_timeout', ${String(timeoutMs)}, true),
                     set_config('plan_cache_mode', 'force_custom_plan', true)`.execute(trx);
    return work(trx);
  });
}

/** Whether PostgreSQL cancelled a statement: its statement timeout, or an operator's cancel. */
export function isStatementTimeout(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '57014';
}

/** A snippet as parts, marked or not, so that the page escapes every character itself. */
export function snippetParts(snippet: string): { text: string; mark: boolean }[] {
  const parts: { text: string; mark: boolean }[] = [];
  for (const piece of snippet.split(MARK_START)) {
    const [marked, rest] = piece.includes(MARK_END) ? piece.split(MARK_END, 2) : [null, piece];
    if (marked) parts.push({ text: marked, mark: true });
    if (rest) parts.push({ text: rest, mark: false });
  }
  return parts;
}
