import { sql, type Kysely } from 'kysely';
import type { DB } from '../../server/db/schema.js';
import { expectedAggregates, maintainedAggregates } from '../../server/reputation/recompute.js';
import { finalOutcome, type WriteRecord } from './ledger.js';
import type { World } from './world.js';

/** What the database says about the writes, judged against what the client was told. */
export interface Verdict {
  lost: WriteRecord[];
  duplicated: WriteRecord[];
  /**
   * Answered with a refusal (4xx, a 303 elsewhere) or a 503, never left without an answer, and
   * stored all the same; or a second anonymous story accepted.
   */
  ruleBroken: WriteRecord[];
  /** Per outcome: how many of those writes are in the database. */
  stored: Map<string, { stored: number; absent: number }>;
  /** Maintained counters or aggregates that differ from a recomputation, described. */
  mismatches: string[];
}

/** How many times each write is in the database: posts by marker, votes by post and member. */
async function storedCounts(db: Kysely<DB>, world: World): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const pattern = `${world.runId}-[0-9]+`;
  const like = `%${world.runId}-%`;
  for (const table of ['threads', 'replies'] as const) {
    const rows = await sql<{ marker: string; n: number }>`
      select substring(body_source from ${pattern}) as marker, count(*)::int as n
      from ${sql.table(table)} where body_source like ${like} group by 1`.execute(db);
    for (const row of rows.rows) counts.set(row.marker, row.n);
  }
  const users = await db
    .selectFrom('users')
    .select(['id', 'username'])
    .where('username', 'like', `${world.runId}\\_%`)
    .execute();
  const memberOf = new Map(users.map((user) => [user.id, Number(user.username.split('_')[1])]));
  for (const [table, path] of [
    ['thread_votes', 'threads'],
    ['reply_votes', 'replies'],
  ] as const) {
    const votes = await db.selectFrom(table).select(['post_id', 'user_id', 'value']).execute();
    for (const vote of votes) {
      // A vote of the wrong value is not the vote that was acknowledged.
      const key = `/${path}/${vote.post_id}/vote by ${memberOf.get(vote.user_id)} ${vote.value}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

function countOf(counts: Map<string, number>, write: WriteRecord) {
  const key = write.kind.endsWith('vote') ? `${write.marker} ${write.value}` : write.marker;
  return counts.get(key) ?? 0;
}

export async function verify(db: Kysely<DB>, world: World): Promise<Verdict> {
  const counts = await storedCounts(db, world);
  const verdict: Verdict = {
    lost: [],
    duplicated: [],
    ruleBroken: [],
    stored: new Map(),
    mismatches: [],
  };
  for (const write of world.writes) {
    const n = countOf(counts, write);
    const outcome = finalOutcome(write);
    const tally = verdict.stored.get(outcome) ?? { stored: 0, absent: 0 };
    tally[n > 0 ? 'stored' : 'absent']++;
    verdict.stored.set(outcome, tally);
    if (n > 1) verdict.duplicated.push(write);
    else if (outcome === 'acknowledged' && n === 0) verdict.lost.push(write);
    // A 500 may come after the commit: stored at most once is all that can be asked of it.
    const toldNo = outcome === 'refused' || outcome === 'refused-expected' || outcome === 'shed';
    if ((toldNo && n > 0) || (write.mustBeRefused && outcome === 'acknowledged'))
      verdict.ruleBroken.push(write);
  }
  verdict.mismatches = [...(await counterMismatches(db)), ...(await aggregateMismatches(db))];
  return verdict;
}

/** Scores, reply counts and the vendor copies of scores, against the rows they count. */
async function counterMismatches(db: Kysely<DB>): Promise<string[]> {
  const checks = {
    'story scores': sql`select count(*)::int as n from threads t where t.score <>
      coalesce((select sum(v.value) from thread_votes v where v.post_id = t.id), 0)`,
    'reply scores': sql`select count(*)::int as n from replies r where r.score <>
      coalesce((select sum(v.value) from reply_votes v where v.post_id = r.id), 0)`,
    'reply counts': sql`select count(*)::int as n from threads t where t.reply_count <>
      (select count(*) from replies r where r.thread_id = t.id)`,
    'vendor copies of story scores': sql`select count(*)::int as n from thread_vendors tv
      join threads t on t.id = tv.thread_id where tv.score <> t.score`,
  };
  const found: string[] = [];
  for (const [name, query] of Object.entries(checks)) {
    const { rows } = await (query as ReturnType<typeof sql<{ n: number }>>).execute(db);
    if (rows[0]!.n > 0) found.push(`${name}: ${rows[0]!.n} rows differ from a recount`);
  }
  return found;
}

/** server/reputation/recompute.ts: the maintained aggregates against a full recomputation. */
async function aggregateMismatches(db: Kysely<DB>): Promise<string[]> {
  const expected = await expectedAggregates(db);
  const maintained = await maintainedAggregates(db);
  const found: string[] = [];
  for (const section of Object.keys(expected) as (keyof typeof expected)[]) {
    const want = new Set(expected[section].map(canonical));
    const have = new Set(maintained[section].map(canonical));
    const missing = [...want].filter((row) => !have.has(row));
    const extra = [...have].filter((row) => !want.has(row));
    if (missing.length + extra.length > 0)
      found.push(
        `aggregates.${section}: ${missing.length} expected rows not maintained, ${extra.length} maintained rows not expected (e.g. ${missing[0] ?? extra[0]})`,
      );
  }
  return found;
}

/** A row as text with its keys in one order, whichever query built it. */
function canonical(row: object): string {
  return JSON.stringify(Object.entries(row).sort(([a], [b]) => a.localeCompare(b)));
}
