import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import {
  expectedResponseFigures,
  maintainedResponseFigures,
  rebuildResponseFigures,
} from './responses.js';
import { reputationScore } from './score.js';

// The aggregates computed from scratch from the raw rows: the reference the maintained
// aggregates must equal (tests), and the way to build them after a bulk load (benchmark seed).

export interface Aggregates {
  vendors: {
    vendor_id: number;
    story_count: number;
    voices: number;
    good: number;
    mixed: number;
    bad: number;
    reputation: number | null;
  }[];
  areas: { vendor_id: number; area: string; good: number; bad: number }[];
  tierAreas: { vendor_id: number; tier_key: string; area: string; good: number; bad: number }[];
  tiers: { vendor_id: number; tier_key: string; good: number; mixed: number; bad: number }[];
  months: { vendor_id: number; month: string; good: number; mixed: number; bad: number }[];
  counted: { thread_id: number; vendor_id: number }[];
  /** How vendors answer (responses.ts). */
  responseStats: Awaited<ReturnType<typeof expectedResponseFigures>>['responseStats'];
  responseDays: Awaited<ReturnType<typeof expectedResponseFigures>>['responseDays'];
  answeredThreads: { thread_id: number; responses: number }[];
}

// A story counts unless deleted or hidden by a moderator (one held for review still counts);
// of a member's named stories about a vendor the latest; every anonymous story on its own.
const COUNTS = sql`t.deleted_at is null and (t.hidden_at is null or t.held_for_review)`;
const VOICE = sql`coalesce(tv.voice_key, 'story:' || tv.thread_id)`;
// A named story by a representative of the vendor does not count for it.
const NOT_BY_REPRESENTATIVE = sql`not exists (select 1 from representatives r
  where r.user_id = t.author_id and r.vendor_id = tv.vendor_id)`;
const COUNTED = sql`
  select distinct on (tv.vendor_id, ${VOICE})
         tv.vendor_id, tv.thread_id, t.sentiment, coalesce(t.tier_key, '') as tier_key,
         to_char(date_trunc('month', t.created_at at time zone 'UTC'), 'YYYY-MM-DD') as month
  from thread_vendors tv join threads t on t.id = tv.thread_id
  where ${COUNTS} and ${NOT_BY_REPRESENTATIVE}
  order by tv.vendor_id, ${VOICE}, tv.thread_id desc`;

const TALLY = sql`count(*) filter (where sentiment = 'good')::int as good,
  count(*) filter (where sentiment = 'mixed')::int as mixed,
  count(*) filter (where sentiment = 'bad')::int as bad`;

export async function expectedAggregates(db: Kysely<DB>): Promise<Aggregates> {
  const run = async <T>(query: ReturnType<typeof sql<T>>) => (await query.execute(db)).rows;
  const voices = await run(sql<{
    vendor_id: number;
    voices: number;
    good: number;
    mixed: number;
    bad: number;
  }>`
    with counted as (${COUNTED}) select vendor_id, count(*)::int as voices, ${TALLY} from counted group by vendor_id`);
  const stories = await run(sql<{ vendor_id: number; n: number }>`
    select tv.vendor_id, count(*)::int as n from thread_vendors tv join threads t on t.id = tv.thread_id
    where ${COUNTS} group by tv.vendor_id`);
  const vendorIds = await db.selectFrom('vendors').select('id').orderBy('id').execute();
  const byVendor = new Map(voices.map((row) => [row.vendor_id, row]));
  const storyCount = new Map(stories.map((row) => [row.vendor_id, row.n]));
  return {
    vendors: vendorIds.map(({ id }) => {
      const tally = byVendor.get(id) ?? { voices: 0, good: 0, mixed: 0, bad: 0 };
      return {
        vendor_id: id,
        story_count: storyCount.get(id) ?? 0,
        voices: tally.voices,
        good: tally.good,
        mixed: tally.mixed,
        bad: tally.bad,
        reputation: reputationScore(tally),
      };
    }),
    areas: await run(sql<Aggregates['areas'][number]>`
      with counted as (${COUNTED})
      select c.vendor_id, a.area, count(*) filter (where a.rating = 'good')::int as good,
             count(*) filter (where a.rating = 'bad')::int as bad
      from counted c join thread_areas a on a.thread_id = c.thread_id
      group by c.vendor_id, a.area order by c.vendor_id, a.area`),
    tierAreas: await run(sql<Aggregates['tierAreas'][number]>`
      with counted as (${COUNTED})
      select c.vendor_id, c.tier_key, a.area, count(*) filter (where a.rating = 'good')::int as good,
             count(*) filter (where a.rating = 'bad')::int as bad
      from counted c join thread_areas a on a.thread_id = c.thread_id
      where c.tier_key != ''
      group by c.vendor_id, c.tier_key, a.area order by c.vendor_id, c.tier_key, a.area`),
    tiers: await run(sql<Aggregates['tiers'][number]>`
      with counted as (${COUNTED}) select vendor_id, tier_key, ${TALLY} from counted
      group by vendor_id, tier_key order by vendor_id, tier_key`),
    months: await run(sql<Aggregates['months'][number]>`
      with counted as (${COUNTED}) select vendor_id, month, ${TALLY} from counted
      group by vendor_id, month order by vendor_id, month`),
    counted: await run(sql<Aggregates['counted'][number]>`
      with counted as (${COUNTED}) select thread_id, vendor_id from counted order by thread_id, vendor_id`),
    ...(await expectedResponseFigures(db)),
  };
}

/** The aggregates as maintained on write, in the same shape (rows of all zeros left out). */
export async function maintainedAggregates(db: Kysely<DB>): Promise<Aggregates> {
  const nonZero = <T extends { good: number; bad: number; mixed?: number }>(rows: T[]) =>
    rows.filter((row) => row.good !== 0 || row.bad !== 0 || (row.mixed ?? 0) !== 0);
  return {
    vendors: await db
      .selectFrom('vendors')
      .select(['id as vendor_id', 'story_count', 'voices', 'good', 'mixed', 'bad', 'reputation'])
      .orderBy('id')
      .execute(),
    areas: nonZero(
      await db
        .selectFrom('vendor_area_stats')
        .select(['vendor_id', 'area', 'good', 'bad'])
        .orderBy('vendor_id')
        .orderBy('area')
        .execute(),
    ),
    tierAreas: nonZero(
      await db
        .selectFrom('vendor_tier_area_stats')
        .select(['vendor_id', 'tier_key', 'area', 'good', 'bad'])
        .orderBy('vendor_id')
        .orderBy('tier_key')
        .orderBy('area')
        .execute(),
    ),
    tiers: nonZero(
      await db
        .selectFrom('vendor_tier_stats')
        .select(['vendor_id', 'tier_key', 'good', 'mixed', 'bad'])
        .orderBy('vendor_id')
        .orderBy('tier_key')
        .execute(),
    ),
    months: nonZero(
      await db
        .selectFrom('vendor_month_stats')
        .select(['vendor_id', 'month', 'good', 'mixed', 'bad'])
        .orderBy('vendor_id')
        .orderBy('month')
        .execute(),
    ),
    counted: await db
      .selectFrom('thread_vendors')
      .select(['thread_id', 'vendor_id'])
      .where('counted', '=', true)
      .orderBy('thread_id')
      .orderBy('vendor_id')
      .execute(),
    ...(await maintainedResponseFigures(db)),
  };
}

/** Replaces every maintained aggregate with one computed from the rows, in one transaction. */
export async function rebuildAggregates(db: Kysely<DB>) {
  // Runs inside the caller's transaction when given one.
  const run = db.isTransaction
    ? (fn: (trx: Kysely<DB>) => Promise<void>) => fn(db)
    : (fn: (trx: Kysely<DB>) => Promise<void>) => db.transaction().execute(fn);
  await run(async (trx) => {
    const expected = await expectedAggregates(trx);
    await trx.deleteFrom('vendor_area_stats').execute();
    await trx.deleteFrom('vendor_tier_stats').execute();
    await trx.deleteFrom('vendor_month_stats').execute();
    await trx.deleteFrom('vendor_tier_area_stats').execute();
    await sql`update thread_vendors set counted = false where counted`.execute(trx);
    await sql`
      update thread_vendors tv set counted = true from (${COUNTED}) c
      where tv.thread_id = c.thread_id and tv.vendor_id = c.vendor_id`.execute(trx);
    for (const row of expected.vendors) {
      const { vendor_id, ...values } = row;
      await trx.updateTable('vendors').set(values).where('id', '=', vendor_id).execute();
    }
    const insert = async <T extends object>(
      table:
        'vendor_area_stats' | 'vendor_tier_stats' | 'vendor_month_stats' | 'vendor_tier_area_stats',
      rows: T[],
    ) => {
      for (let i = 0; i < rows.length; i += 1000) {
        await trx
          .insertInto(table)
          .values(rows.slice(i, i + 1000) as never)
          .execute();
      }
    };
    await insert('vendor_area_stats', expected.areas);
    await insert('vendor_tier_stats', expected.tiers);
    await insert('vendor_month_stats', expected.months);
    await insert('vendor_tier_area_stats', expected.tierAreas);
    await rebuildResponseFigures(trx);
  });
}
