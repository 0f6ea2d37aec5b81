import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { DB, VendorTag } from '../db/schema.js';
import { representedVendor } from '../posts/authors.js';
import type { Sentiment } from '../posts/vocabulary.js';
import { findVendorsByText, type VendorMatch } from '../vendors/queries.js';
import {
  KINDS,
  matchesOf,
  RANKED,
  storyConditions,
  windowColumns,
  windowsOf,
  type Candidate,
  type SearchFilter,
  type WindowRow,
} from './matches.js';

export { RANKED, type SearchFilter } from './matches.js';

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
  author_vendor: { name: string; slug: string } | null;
  created_at: Date;
  snippet: string;
  /** The post's first and last words, to tell whether the snippet starts or ends mid-text. */
  text_start: string;
  text_end: string;
}

/** How much of a story's opening a search without words shows. */
const LATEST_SNIPPET_CHARS = 240;
/** How much of a post's start and end is read to tell whether a snippet is the whole of it. */
const EDGE_CHARS = 80;

// Marks around matched words in snippets: control characters that no post can contain
// unescaped, turned into <mark> by the page after the rest is escaped.
export const MARK_START = '\u0001';
export const MARK_END = '\u0002';

/** How many vendors a search shows above the posts. */
export const VENDORS_SHOWN = 5;

/** A page of hits, and whether more posts matched than the search ranks. */
export interface SearchResult {
  /** Vendors whose names match the words, best first (the first page only). */
  vendors: VendorMatch[];
  hits: SearchHit[];
  /** Ranked matches in all: at most RANKED of each kind. */
  ranked: number;
  /** Some kind had more than RANKED matches: the best of the newest are shown. */
  capped: boolean;
}

/**
 * Stories and replies matching the words (PostgreSQL full-text search: words, "phrases",
 * -exclusions) and the filters, best match first among the newest RANKED of each kind, with
 * highlighted snippets; hidden and deleted posts never match. Without words, the filtered
 * stories, newest first. Words that cannot make a search (see WordsProblem) are refused.
 *
 * The cost is bounded whatever the words (see matchesOf): a common word is found among the
 * newest posts, a rare one through the GIN index, and only the page shown is read in full. It
 * runs in a transaction whose statements PostgreSQL cancels after `timeoutMs` (failing with
 * SQLSTATE 57014, see isStatementTimeout): five statements for a common word, begin and commit
 * included, and two more on the first page of words without a vendor filter, for the vendors
 * they name (findVendorsByText).
 */
export async function search(
  db: Kysely<DB>,
  timeoutMs: number,
  filter: SearchFilter,
): Promise<SearchResult | WordsProblem> {
  return db.transaction().execute(async (trx) => {
    const { tree, windows } = await prepareSearch(trx, timeoutMs, filter.words);
    if (!filter.words) {
      const hits = await latestStories(trx, filter);
      return { vendors: [], hits, ranked: hits.length, capped: false };
    }
    const problem = wordsProblem(tree);
    if (problem) {
      // "AT&T" is all stop words to the full-text search, but names a vendor: show it. Last too.
      const vendors = await vendorsNamed(trx, filter);
      return vendors.length > 0 ? { vendors, hits: [], ranked: 0, capped: false } : problem;
    }
    const query = sql`websearch_to_tsquery('english', ${filter.words})`;
    const candidates = await matchesOf(trx, filter, query, windows);
    candidates.sort((a, b) => b.rank - a.rank || b.post_id - a.post_id);
    const shown = candidates.slice(filter.offset, filter.offset + filter.limit + 1);
    // The vendors before the hits: its settings (nested loops over indexes, generic plans) suit
    // the hits' lookups by id too, which are then planned once per connection, not per search.
    const vendors = await vendorsNamed(trx, filter);
    return {
      vendors,
      hits: await hitsOf(trx, shown, query),
      ranked: candidates.length,
      capped: KINDS.some((kind) => candidates.filter((c) => c.kind === kind).length >= RANKED),
    };
  });
}

/**
 * The search's settings for the rest of its transaction, what the words reduce to, and each
 * kind's window, in one statement. PGlite accepts the timeout but cannot enforce it: its timer
 * cannot fire while a statement runs.
 */
async function prepareSearch(db: Kysely<DB>, timeoutMs: number, words: string) {
  // A plan made for this search's words: a generic plan of the prepared statement cannot know
  // whether they match ten posts or half of them. No parallel workers either: starting them
  // costs more than the bounded reads they would share.
  const { rows } = await sql<{ tree: string } & WindowRow>`
    select set_config('statement_timeout', ${String(timeoutMs)}, true),
           set_config('plan_cache_mode', 'force_custom_plan', true),
           set_config('max_parallel_workers_per_gather', '0', true),
           querytree(websearch_to_tsquery('english', ${words})) as tree, ${windowColumns}`.execute(
    db,
  );
  const row = rows[0]!;
  return { tree: row.tree, windows: windowsOf(row) };
}

/**
 * The vendors the words name, for the first page of a search not limited to one vendor already.
 * Words to leave out (-word) name none.
 */
function vendorsNamed(trx: Transaction<DB>, filter: SearchFilter): Promise<VendorMatch[]> {
  if (filter.offset > 0 || filter.vendorId !== undefined) return Promise.resolve([]);
  const sought = filter.words.replace(/(^|\s)-\S*/g, ' ');
  return findVendorsByText(trx, sought, VENDORS_SHOWN);
}

/** The filtered stories, newest first: a search with filters and no words. */
async function latestStories(db: Kysely<DB>, filter: SearchFilter): Promise<SearchHit[]> {
  const { rows } = await sql<SearchHit>`
    select 'thread' as kind, t.id as post_id, t.id as thread_id, t.title, t.slug, t.vendor_tags as vendors,
           t.sentiment, t.anonymous, t.author_id, t.author_tag, t.pseudonym, u.username as author_username, ${representedVendor('u')} as author_vendor, t.created_at,
           left(t.body_source, ${LATEST_SNIPPET_CHARS + 40}) as snippet,
           left(t.body_source, ${EDGE_CHARS}) as text_start, right(t.body_source, ${EDGE_CHARS}) as text_end
    from threads t left join users u on u.id = t.author_id
    where ${storyConditions(filter)}
    order by t.id desc offset ${filter.offset} limit ${filter.limit + 1}`.execute(db);
  return rows;
}

/** The page's hits, in the candidates' order, with their story, author and snippet. */
async function hitsOf(
  db: Kysely<DB>,
  shown: Candidate[],
  query: RawBuilder<unknown>,
): Promise<SearchHit[]> {
  if (shown.length === 0) return [];
  const options = `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=35, MinWords=12, ShortWord=0, MaxFragments=2, FragmentDelimiter=" … "`;
  const { rows } = await sql<SearchHit>`
    select m.kind, m.post_id, m.thread_id, t.title, t.slug, t.vendor_tags as vendors, t.sentiment,
           p.anonymous, p.author_id, p.author_tag, p.pseudonym, u.username as author_username, ${representedVendor('u')} as author_vendor, p.created_at,
           ts_headline('english', p.text, ${query}, ${options}) as snippet,
           left(p.text, ${EDGE_CHARS}) as text_start, right(p.text, ${EDGE_CHARS}) as text_end
    from unnest(${shown.map((c) => c.kind)}::text[], ${shown.map((c) => c.post_id)}::int[],
                ${shown.map((c) => c.thread_id)}::int[]) with ordinality as m(kind, post_id, thread_id, place)
    join threads t on t.id = m.thread_id
    cross join lateral (
      select t.anonymous, t.author_id, t.author_tag, t.pseudonym, t.created_at, t.body_source as text
      where m.kind = 'thread'
      union all
      select r.anonymous, r.author_id, r.author_tag, r.pseudonym, r.created_at, r.body_source
      from replies r where m.kind = 'reply' and r.id = m.post_id
    ) p
    left join users u on u.id = p.author_id
    order by m.place`.execute(db);
  return rows;
}

/** Whether PostgreSQL cancelled a statement: its statement timeout, or an operator's cancel. */
export function isStatementTimeout(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '57014';
}

/** Why words cannot make a search: nothing left of them, or only words to leave out. */
export type WordsProblem = 'no-words' | 'exclusions-only';

/**
 * Whether the words can be looked up in the full-text index, from PostgreSQL's querytree() of
 * them. Words that are all too common or carry no letters reduce to nothing; words only to
 * leave out (-word, or "a or -b") would have to read every post: querytree() says 'T' when no
 * part of the query is indexable.
 */
function wordsProblem(tree: string): WordsProblem | null {
  if (tree === '') return 'no-words';
  if (tree === 'T') return 'exclusions-only';
  return null;
}

/**
 * Markdown's syntax taken out of a snippet of a post's source, so that it reads as plain text:
 * links keep their words, emphasis, code, heading, quote and list marks go. The match marks are
 * control characters, which none of this touches.
 */
export function withoutMarkdown(text: string): string {
  return (
    text
      .replace(/!?\[([^\]]*)\]\([^)]*\)?/g, '$1')
      .replace(/^\s{0,3}(#{1,6}|>+)\s+/gm, '')
      // List items stay apart ("Customer: a school · Deal: an upgrade"), not run together.
      .replace(/^\s{0,3}([-*+]|\d+[.)])\s+/gm, '· ')
      .replace(/(\*\*|__|~~|`+)/g, '')
      .replace(/(^|[\s(])[*_]([^\s*_])/g, '$1$2')
      .replace(/([^\s*_])[*_](?=[\s).,;:!?]|$)/g, '$1')
      .replace(/\s+/g, ' ')
      .trim()
      .replace(/^· /, '')
  );
}

/** A snippet as parts, marked or not, so that the page escapes every character itself. */
export function snippetParts(hit: Pick<SearchHit, 'snippet' | 'text_start' | 'text_end'>) {
  const parts: { text: string; mark: boolean }[] = [];
  for (const piece of snippetText(hit).split(MARK_START)) {
    const [marked, rest] = piece.includes(MARK_END) ? piece.split(MARK_END, 2) : [null, piece];
    if (marked) parts.push({ text: marked, mark: true });
    if (rest) parts.push({ text: rest, mark: false });
  }
  return parts;
}

/**
 * The snippet as plain text, with "…" where it starts or ends inside the post: a fragment that
 * begins or stops mid-sentence says so instead of looking like the whole post.
 */
function snippetText({ snippet, text_start, text_end }: Parameters<typeof snippetParts>[0]) {
  let text = withoutMarkdown(snippet ?? '');
  const plain = (value: string) =>
    withoutMarkdown(value).replaceAll(MARK_START, '').replaceAll(MARK_END, '');
  const shown = plain(snippet ?? '');
  if (shown.length > LATEST_SNIPPET_CHARS && !text.includes(MARK_START)) {
    // The newest stories' snippets are the post's opening, cut here at a word.
    const cut = text.slice(0, LATEST_SNIPPET_CHARS);
    text = cut.slice(0, Math.max(cut.lastIndexOf(' '), LATEST_SNIPPET_CHARS / 2)).trimEnd();
  }
  const edge = (value: string) => plain(value).slice(0, 12);
  const startsInside = !shown.startsWith(edge(text_start ?? ''));
  const endsInside =
    !plain(text_end ?? '').endsWith(shown.slice(-12)) || text.length < shown.length;
  return `${startsInside ? '… ' : ''}${text}${endsInside ? ' …' : ''}`;
}
