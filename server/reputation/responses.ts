import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { DB, Resolution } from '../db/schema.js';

// How vendors answer: per vendor and month of the story, how many stories stand, how many have
// the vendor's official response, how long it took, and how the authors marked them. Kept on
// every write like the reputation aggregates; thread_vendors.tally_* remembers what each story
// adds now, so that settling a story takes out exactly what it put in, whatever changed.

/** An answer this many days or more after the story is counted as this many. */
export const MAX_RESPONSE_DAYS = 366;

interface Tally {
  month: string | null;
  days: number | null;
  resolution: Resolution | null;
}

/**
 * What each story of `only` adds to its vendors' figures now. A story stands for its vendors
 * unless deleted or removed by moderators (one held because of reports still stands), or told
 * under their name by one of the vendor's own representatives; an answer
 * counts unless deleted or removed; the author's mark counts only on an answered story. Days are
 * whole days begun: an answer within the hour is "1 day".
 */
const tallies = (only: RawBuilder<unknown>) => sql`
  select tv.thread_id, tv.vendor_id, s.month, a.days,
         case when a.days is not null then t.resolution end as resolution
  from thread_vendors tv
  join threads t on t.id = tv.thread_id
  cross join lateral (select case when t.deleted_at is null
      and (t.hidden_at is null or t.held_for_review)
      and not exists (select 1 from representatives rp
                      where rp.user_id = t.author_id and rp.vendor_id = tv.vendor_id)
      then to_char(date_trunc('month', t.created_at at time zone 'UTC'), 'YYYY-MM-DD') end as month) s
  left join lateral (
    select least(${MAX_RESPONSE_DAYS}, greatest(1,
             ceil(extract(epoch from r.created_at - t.created_at) / 86400)))::int as days
    from replies r
    where r.thread_id = t.id and r.official_vendor_id = tv.vendor_id and s.month is not null
      and r.deleted_at is null and (r.hidden_at is null or r.held_for_review)
    order by r.id limit 1) a on true
  where ${only}`;

const storyTallies = (threadId: number) => sql<{
  vendor_id: number;
  tally_month: string | null;
  tally_days: number | null;
  tally_resolution: Resolution | null;
  month: string | null;
  days: number | null;
  resolution: Resolution | null;
}>`
  select now.vendor_id, now.month, now.days, now.resolution,
         tv.tally_month::text as tally_month, tv.tally_days, tv.tally_resolution
  from (${tallies(sql`tv.thread_id = ${threadId}`)}) now
  join thread_vendors tv on tv.thread_id = now.thread_id and tv.vendor_id = now.vendor_id
  order by now.vendor_id`;

/**
 * After anything that may change how a story counts for its vendors' answers (posted, deleted,
 * hidden, restored; an official response posted, deleted, hidden or restored; the author's
 * mark): each of its vendors' figures lose what the story added and gain what it adds now, and
 * the story's own count of answers follows. Vendor rows are settled in id order, as every writer
 * does.
 */
export async function settleResponses(trx: Transaction<DB>, threadId: number) {
  const { rows } = await storyTallies(threadId).execute(trx);
  let answered = 0;
  for (const row of rows) {
    const before: Tally = {
      month: row.tally_month,
      days: row.tally_days,
      resolution: row.tally_resolution,
    };
    const after: Tally = { month: row.month, days: row.days, resolution: row.resolution };
    if (after.days !== null) answered++;
    if (sameTally(before, after)) continue;
    await applyTally(trx, row.vendor_id, before, -1);
    await applyTally(trx, row.vendor_id, after, 1);
    await trx
      .updateTable('thread_vendors')
      .set({ tally_month: after.month, tally_days: after.days, tally_resolution: after.resolution })
      .where('thread_id', '=', threadId)
      .where('vendor_id', '=', row.vendor_id)
      .execute();
  }
  await trx
    .updateTable('threads')
    .set({ responses: answered })
    .where('id', '=', threadId)
    .where('responses', '!=', answered)
    .execute();
}

const sameTally = (a: Tally, b: Tally) =>
  a.month === b.month && a.days === b.days && a.resolution === b.resolution;

async function applyTally(trx: Transaction<DB>, vendorId: number, tally: Tally, sign: 1 | -1) {
  if (tally.month === null) return;
  const answered = tally.days === null ? 0 : sign;
  await trx
    .insertInto('vendor_response_stats')
    .values({
      vendor_id: vendorId,
      month: tally.month,
      stories: sign,
      answered,
      resolved: tally.resolution === 'resolved' ? sign : 0,
      not_resolved: tally.resolution === 'not-resolved' ? sign : 0,
    })
    .onConflict((oc) =>
      oc.columns(['vendor_id', 'month']).doUpdateSet((eb) => ({
        stories: eb('vendor_response_stats.stories', '+', eb.ref('excluded.stories')),
        answered: eb('vendor_response_stats.answered', '+', eb.ref('excluded.answered')),
        resolved: eb('vendor_response_stats.resolved', '+', eb.ref('excluded.resolved')),
        not_resolved: eb(
          'vendor_response_stats.not_resolved',
          '+',
          eb.ref('excluded.not_resolved'),
        ),
      })),
    )
    .execute();
  if (tally.days === null) return;
  await trx
    .insertInto('vendor_response_days')
    .values({ vendor_id: vendorId, month: tally.month, days: tally.days, answers: sign })
    .onConflict((oc) =>
      oc.columns(['vendor_id', 'month', 'days']).doUpdateSet((eb) => ({
        answers: eb('vendor_response_days.answers', '+', eb.ref('excluded.answers')),
      })),
    )
    .execute();
}

const STANDING = sql`s.month is not null`;

/** The expected figures, computed from the raw rows: what the maintained ones must equal. */
export async function expectedResponseFigures(db: Kysely<DB>) {
  const run = async <T>(query: RawBuilder<T>) => (await query.execute(db)).rows;
  return {
    responseStats: await run(sql<ResponseStatsRow>`
      select vendor_id, month, count(*)::int as stories, count(days)::int as answered,
             count(*) filter (where resolution = 'resolved')::int as resolved,
             count(*) filter (where resolution = 'not-resolved')::int as not_resolved
      from (${tallies(STANDING)}) x group by vendor_id, month order by vendor_id, month`),
    responseDays: await run(sql<ResponseDaysRow>`
      select vendor_id, month, days, count(*)::int as answers
      from (${tallies(STANDING)}) x where days is not null
      group by vendor_id, month, days order by vendor_id, month, days`),
    answeredThreads: await run(sql<{ thread_id: number; responses: number }>`
      select thread_id, count(*)::int as responses
      from (${tallies(STANDING)}) x where days is not null group by thread_id order by thread_id`),
  };
}

type ResponseStatsRow = {
  vendor_id: number;
  month: string;
  stories: number;
  answered: number;
  resolved: number;
  not_resolved: number;
};
type ResponseDaysRow = { vendor_id: number; month: string; days: number; answers: number };

/** The figures as maintained on write, in the same shape (rows of all zeros left out). */
export async function maintainedResponseFigures(db: Kysely<DB>) {
  const run = async <T>(query: RawBuilder<T>) => (await query.execute(db)).rows;
  return {
    responseStats: await run(sql<ResponseStatsRow>`
      select vendor_id, month::text as month, stories, answered, resolved, not_resolved
      from vendor_response_stats
      where stories != 0 or answered != 0 or resolved != 0 or not_resolved != 0
      order by vendor_id, month`),
    responseDays: await run(sql<ResponseDaysRow>`
      select vendor_id, month::text as month, days, answers from vendor_response_days
      where answers != 0 order by vendor_id, month, days`),
    answeredThreads: await run(sql<{ thread_id: number; responses: number }>`
      select id as thread_id, responses from threads where responses != 0 order by id`),
  };
}

/** Rebuilds the figures from the rows, set-wise (after a vendor merge, or a bulk load). */
export async function rebuildResponseFigures(trx: Kysely<DB>) {
  await trx.deleteFrom('vendor_response_stats').execute();
  await trx.deleteFrom('vendor_response_days').execute();
  await sql`update thread_vendors tv set tally_month = x.month::date, tally_days = x.days,
              tally_resolution = x.resolution
            from (${tallies(sql`true`)}) x
            where tv.thread_id = x.thread_id and tv.vendor_id = x.vendor_id
              and (tv.tally_month::text is distinct from x.month or tv.tally_days is distinct from x.days
                   or tv.tally_resolution is distinct from x.resolution)`.execute(trx);
  await sql`update threads t set responses = coalesce(x.n, 0)
            from threads t2 left join (select thread_id, count(*)::int as n from thread_vendors
                                       where tally_days is not null group by thread_id) x
              on x.thread_id = t2.id
            where t.id = t2.id and t.responses != coalesce(x.n, 0)`.execute(trx);
  await sql`insert into vendor_response_stats (vendor_id, month, stories, answered, resolved, not_resolved)
            select vendor_id, tally_month, count(*)::int, count(tally_days)::int,
                   count(*) filter (where tally_resolution = 'resolved')::int,
                   count(*) filter (where tally_resolution = 'not-resolved')::int
            from thread_vendors where tally_month is not null group by vendor_id, tally_month`.execute(
    trx,
  );
  await sql`insert into vendor_response_days (vendor_id, month, days, answers)
            select vendor_id, tally_month, tally_days, count(*)::int from thread_vendors
            where tally_month is not null and tally_days is not null
            group by vendor_id, tally_month, tally_days`.execute(trx);
}
