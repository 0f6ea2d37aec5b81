import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../db/schema.js';
import type { AreaRating, Sentiment } from '../posts/vocabulary.js';

// Which posts a search ranks, at a bounded cost whatever the words: see matchesOf.

/** The words of a search, its filters, and the page asked for. */
export interface SearchFilter {
  words: string;
  vendorId?: number;
  sentiment?: Sentiment;
  area?: { key: string; rating: AreaRating };
  tierKey?: string;
  offset: number;
  limit: number;
}

/**
 * How many of the newest matching stories, and as many replies, a search ranks: the search page
 * shows the best 200 of them (10 pages of 20) and says when there were more.
 */
export const RANKED = 200;
/**
 * How many of the newest posts of each kind a search reads before it looks further back: enough
 * for RANKED matches of any common word, few enough to cost a few milliseconds whatever the word.
 */
export const WINDOW = 2000;
/**
 * How many posts older than the window a walk reads at most. The walk is chosen when the word
 * was frequent in the window, and then expected to meet its matches soon; but a word frequent in
 * the newest posts and rare before them (a burst) would walk every older post, up to the
 * statement timeout. What lies beyond the reach is asked of the GIN index instead.
 */
export const WALK_REACH = 20 * WINDOW;

/** Conditions on a story (alias t): visible, and every filter given. */
export function storyConditions(filter: SearchFilter): RawBuilder<boolean> {
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

/** One ranked match: which post, and how well it matches (replies weigh 0.8 of a story). */
export interface Candidate {
  kind: 'thread' | 'reply';
  post_id: number;
  thread_id: number;
  rank: number;
}

export const KINDS = ['thread', 'reply'] as const;
export type Kind = (typeof KINDS)[number];

/**
 * Where each kind's window of newest posts begins, roughly how many posts are older, and how
 * far back a walk may read (WALK_REACH).
 */
interface Windows {
  floor: Record<Kind, number | null>;
  older: Record<Kind, number>;
  walkReach?: number;
}

/**
 * The newest RANKED matches of each kind, with their rank. A planner left to choose between
 * walking the posts newest first and asking the GIN index can walk all 500,000 replies for a
 * word none of them holds (its estimate for a word it has no statistics on is a guess), so the
 * search decides itself, from what the newest posts show:
 * 1. the newest WINDOW posts of each kind are searched (a bounded read, by either path);
 * 2. a kind with fewer than RANKED matches there is searched further back, walking on if the
 *    word was frequent in the window, through the GIN index if it was rare (olderMatches);
 * 3. a walk that reached WALK_REACH posts without enough matches leaves the rest to the index.
 */
export async function matchesOf(
  db: Kysely<DB>,
  filter: SearchFilter,
  query: RawBuilder<unknown>,
  windows: Windows,
): Promise<Candidate[]> {
  const recent = await matchesSince(db, filter, query, windows.floor);
  const further: Record<'walk' | 'index', OlderSearch[]> = { walk: [], index: [] };
  for (const kind of KINDS) {
    const floor = windows.floor[kind];
    const count = recent.filter((c) => c.kind === kind).length;
    if (floor === null || count >= RANKED) continue;
    const frequency = count / WINDOW;
    // Walking on reads about (RANKED - count) / frequency posts, the index about frequency × older.
    const walk = frequency * frequency * windows.older[kind] >= RANKED - count;
    further[walk ? 'walk' : 'index'].push({ kind, floor, wanted: RANKED - count });
  }
  const found = [...recent];
  const reach = windows.walkReach ?? WALK_REACH;
  if (further.walk.length > 0) {
    const walked = await olderMatches(db, filter, query, 'walk', further.walk, reach);
    found.push(...walked);
    for (const { kind, floor, wanted } of further.walk) {
      const short = wanted - walked.filter((c) => c.kind === kind).length;
      if (short > 0 && floor - reach > 1)
        further.index.push({ kind, floor: floor - reach, wanted: short });
    }
  }
  if (further.index.length > 0)
    found.push(...(await olderMatches(db, filter, query, 'index', further.index, 0)));
  return found;
}

/** What a statement selects with `windowColumns`. */
export interface WindowRow {
  thread_floor: number | null;
  reply_floor: number | null;
  threads: number;
  replies: number;
}

/**
 * Each kind's window, as columns of a statement that has other work (see WindowRow): ids from
 * WINDOW below the newest on (null when that reaches the first post). Ids come from a
 * sequence, so this is about the newest WINDOW posts, read in O(1).
 */
export const windowColumns = sql`
  nullif(greatest((select max(id) from threads) - ${WINDOW - 1}, 1), 1) as thread_floor,
  nullif(greatest((select max(id) from replies) - ${WINDOW - 1}, 1), 1) as reply_floor,
  (select greatest(reltuples, 0)::int from pg_class where oid = 'threads'::regclass) as threads,
  (select greatest(reltuples, 0)::int from pg_class where oid = 'replies'::regclass) as replies`;

export function windowsOf(row: WindowRow): Windows {
  return {
    floor: { thread: row.thread_floor, reply: row.reply_floor },
    older: { thread: row.threads, reply: row.replies },
  };
}

/** The kind's matching posts, as candidates: stories alone, replies with their visible story. */
function kindMatches(kind: Kind, filter: SearchFilter, query: RawBuilder<unknown>) {
  const where = storyConditions(filter);
  return kind === 'thread'
    ? sql`select 'thread' as kind, t.id as post_id, t.id as thread_id, ts_rank_cd(t.search_vector, ${query}) as rank, t.id as id
          from threads t where t.search_vector @@ ${query} and ${where}`
    : sql`select 'reply' as kind, r.id as post_id, r.thread_id, ts_rank_cd(r.search_vector, ${query}) * 0.8 as rank, r.id as id
          from replies r join threads t on t.id = r.thread_id
          where r.search_vector @@ ${query} and r.deleted_at is null and r.hidden_at is null and ${where}`;
}

const idOf = (kind: Kind) => (kind === 'thread' ? sql.ref('t.id') : sql.ref('r.id'));

/** Matches among each kind's window: at most WINDOW posts read per kind, by either path. */
async function matchesSince(
  db: Kysely<DB>,
  filter: SearchFilter,
  query: RawBuilder<unknown>,
  floor: Windows['floor'],
): Promise<Candidate[]> {
  const part = (kind: Kind) =>
    sql`(${kindMatches(kind, filter, query)} and ${idOf(kind)} >= ${floor[kind] ?? 0}
         order by ${idOf(kind)} desc limit ${RANKED})`;
  const { rows } = await sql<Candidate>`${part('thread')} union all ${part('reply')}`.execute(db);
  return rows.map(asCandidate);
}

/** A kind to search further back than its window, and how many more matches it needs. */
interface OlderSearch {
  kind: Kind;
  floor: number;
  wanted: number;
}

/**
 * Matches older than the windows, on the path chosen for the word, reading at most `reach`
 * posts below each floor (0: no limit): the planner's other paths are switched off for the rest
 * of the transaction (the page's own query then reads its twenty posts by id through whichever
 * index path is left).
 */
async function olderMatches(
  db: Kysely<DB>,
  filter: SearchFilter,
  query: RawBuilder<unknown>,
  path: 'walk' | 'index',
  searches: OlderSearch[],
  reach: number,
): Promise<Candidate[]> {
  const walk = path === 'walk';
  await sql`select set_config('enable_bitmapscan', ${walk ? 'off' : 'on'}, true),
                   set_config('enable_indexscan', ${walk ? 'on' : 'off'}, true),
                   set_config('enable_seqscan', 'off', true)`.execute(db);
  const parts = searches.map(
    ({ kind, floor, wanted }) =>
      sql`(${kindMatches(kind, filter, query)} and ${idOf(kind)} < ${floor}
           and ${idOf(kind)} >= ${reach > 0 ? floor - reach : 0}
           order by ${idOf(kind)} desc limit ${wanted})`,
  );
  const { rows } = await sql<Candidate>`${sql.join(parts, sql` union all `)}`.execute(db);
  return rows.map(asCandidate);
}

const asCandidate = (row: Candidate): Candidate => ({
  kind: row.kind,
  post_id: row.post_id,
  thread_id: row.thread_id,
  rank: Number(row.rank),
});
