import { sql, type ExpressionBuilder, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Sentiment, AreaRating } from '../posts/vocabulary.js';
import { settleResponses } from './responses.js';
import { reputationScore } from './score.js';

// Per-vendor aggregates, kept in the same transaction as every write that changes what counts:
// a story posted, edited, deleted (and, with moderation, hidden or restored). Only each member's
// latest visible story about a vendor counts (thread_vendors.counted), so nobody floods a rating.

interface Contribution {
  sentiment: Sentiment;
  tierKey: string;
  month: string;
  areas: { area: string; rating: AreaRating }[];
}

async function loadContribution(db: Kysely<DB>, threadId: number): Promise<Contribution> {
  const thread = await db
    .selectFrom('threads')
    .select([
      'sentiment',
      'tier_key',
      sql<string>`to_char(date_trunc('month', created_at at time zone 'UTC'), 'YYYY-MM-DD')`.as(
        'month',
      ),
    ])
    .where('id', '=', threadId)
    .executeTakeFirstOrThrow();
  const areas = await db
    .selectFrom('thread_areas')
    .select(['area', 'rating'])
    .where('thread_id', '=', threadId)
    .execute();
  return {
    sentiment: thread.sentiment,
    tierKey: thread.tier_key ?? '',
    month: thread.month,
    areas,
  };
}

const counts = (sentiment: Sentiment, sign: number) => ({
  good: sentiment === 'good' ? sign : 0,
  mixed: sentiment === 'mixed' ? sign : 0,
  bad: sentiment === 'bad' ? sign : 0,
});

/** Adds (sign 1) or takes out (-1) one story's contribution to a vendor's aggregates. */
async function apply(db: Kysely<DB>, vendorId: number, c: Contribution, sign: 1 | -1) {
  const delta = counts(c.sentiment, sign);
  await applyToVendor(db, vendorId, delta, sign);
  await applyToSlices(db, vendorId, c, delta);
  await applyToAreas(db, vendorId, c.areas, sign);
  if (c.tierKey !== '') await applyToTierAreas(db, vendorId, c, sign);
}

type Delta = ReturnType<typeof counts>;

async function applyToVendor(db: Kysely<DB>, vendorId: number, delta: Delta, sign: 1 | -1) {
  const vendor = await db
    .updateTable('vendors')
    .set((eb) => ({
      voices: eb('voices', '+', sign),
      good: eb('good', '+', delta.good),
      mixed: eb('mixed', '+', delta.mixed),
      bad: eb('bad', '+', delta.bad),
    }))
    .where('id', '=', vendorId)
    .returning(['good', 'mixed', 'bad'])
    .executeTakeFirstOrThrow();
  await db
    .updateTable('vendors')
    .set({ reputation: reputationScore(vendor) })
    .where('id', '=', vendorId)
    .execute();
}

/** The tier and month slices of the reputation page. */
async function applyToSlices(db: Kysely<DB>, vendorId: number, c: Contribution, delta: Delta) {
  await db
    .insertInto('vendor_tier_stats')
    .values({ vendor_id: vendorId, tier_key: c.tierKey, ...delta })
    .onConflict((oc) =>
      oc.columns(['vendor_id', 'tier_key']).doUpdateSet((eb) => ({
        good: eb('vendor_tier_stats.good', '+', eb.ref('excluded.good')),
        mixed: eb('vendor_tier_stats.mixed', '+', eb.ref('excluded.mixed')),
        bad: eb('vendor_tier_stats.bad', '+', eb.ref('excluded.bad')),
      })),
    )
    .execute();
  await db
    .insertInto('vendor_month_stats')
    .values({ vendor_id: vendorId, month: c.month, ...delta })
    .onConflict((oc) =>
      oc.columns(['vendor_id', 'month']).doUpdateSet((eb) => ({
        good: eb('vendor_month_stats.good', '+', eb.ref('excluded.good')),
        mixed: eb('vendor_month_stats.mixed', '+', eb.ref('excluded.mixed')),
        bad: eb('vendor_month_stats.bad', '+', eb.ref('excluded.bad')),
      })),
    )
    .execute();
}

async function applyToAreas(
  db: Kysely<DB>,
  vendorId: number,
  areas: Contribution['areas'],
  sign: 1 | -1,
) {
  if (areas.length === 0) return;
  await db
    .insertInto('vendor_area_stats')
    .values(
      areas.map(({ area, rating }) => ({
        vendor_id: vendorId,
        area,
        good: rating === 'good' ? sign : 0,
        bad: rating === 'bad' ? sign : 0,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['vendor_id', 'area']).doUpdateSet((eb) => ({
        good: eb('vendor_area_stats.good', '+', eb.ref('excluded.good')),
        bad: eb('vendor_area_stats.bad', '+', eb.ref('excluded.bad')),
      })),
    )
    .execute();
}

/** The same ratings by the story's tier: what partners of a tier say each area delivered. */
async function applyToTierAreas(db: Kysely<DB>, vendorId: number, c: Contribution, sign: 1 | -1) {
  if (c.areas.length === 0) return;
  await db
    .insertInto('vendor_tier_area_stats')
    .values(
      c.areas.map(({ area, rating }) => ({
        vendor_id: vendorId,
        tier_key: c.tierKey,
        area,
        good: rating === 'good' ? sign : 0,
        bad: rating === 'bad' ? sign : 0,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['vendor_id', 'tier_key', 'area']).doUpdateSet((eb) => ({
        good: eb('vendor_tier_area_stats.good', '+', eb.ref('excluded.good')),
        bad: eb('vendor_tier_area_stats.bad', '+', eb.ref('excluded.bad')),
      })),
    )
    .execute();
}

async function setCounted(db: Kysely<DB>, threadId: number, vendorId: number, counted: boolean) {
  await db
    .updateTable('thread_vendors')
    .set({ counted })
    .where('thread_id', '=', threadId)
    .where('vendor_id', '=', vendorId)
    .execute();
}

/**
 * After a story was posted, deleted, hidden or restored: for each of its vendors, the story that
 * counts for its author's voice becomes the author's latest counting one (or none), and the
 * aggregates follow. An anonymous story (no voice key) is a voice of its own. A story held for
 * review because of reports still counts: reports alone never change a vendor's numbers.
 */
export async function settleVoices(trx: Transaction<DB>, threadId: number) {
  const voices = await trx
    .selectFrom('thread_vendors')
    .select(['vendor_id', 'voice_key'])
    .where('thread_id', '=', threadId)
    .orderBy('vendor_id') // vendor rows are locked in id order by every writer: no deadlock
    .execute();
  for (const { vendor_id: vendorId, voice_key: voiceKey } of voices) {
    // An anonymous story (no voice key) is a voice of its own.
    const own = voiceKey === null;
    const counted = await trx
      .selectFrom('thread_vendors')
      .select('thread_id')
      .where('vendor_id', '=', vendorId)
      .where('counted', '=', true)
      .$if(own, (query) => query.where('thread_id', '=', threadId))
      .$if(!own, (query) => query.where('voice_key', '=', voiceKey))
      .executeTakeFirst();
    const latest = await trx
      .selectFrom('thread_vendors')
      .innerJoin('threads', 'threads.id', 'thread_vendors.thread_id')
      .select('thread_vendors.thread_id')
      .where('thread_vendors.vendor_id', '=', vendorId)
      .where(countsForVendors)
      .where(notByItsRepresentative)
      .$if(own, (query) => query.where('thread_vendors.thread_id', '=', threadId))
      .$if(!own, (query) => query.where('thread_vendors.voice_key', '=', voiceKey))
      .orderBy('thread_vendors.thread_id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (counted?.thread_id === latest?.thread_id) continue;
    if (counted) {
      await apply(trx, vendorId, await loadContribution(trx, counted.thread_id), -1);
      await setCounted(trx, counted.thread_id, vendorId, false);
    }
    if (latest) {
      await setCounted(trx, latest.thread_id, vendorId, true);
      await apply(trx, vendorId, await loadContribution(trx, latest.thread_id), 1);
    }
  }
}

/** A story counts for its vendors unless deleted or hidden by a moderator's decision. */
export function countsForVendors(eb: ExpressionBuilder<DB, 'threads'>) {
  return eb.and([
    eb('threads.deleted_at', 'is', null),
    eb.or([eb('threads.hidden_at', 'is', null), eb('threads.held_for_review', '=', true)]),
  ]);
}

/**
 * A named story by a representative of the vendor does not count for it: a vendor's own people
 * do not rate it. (Their anonymous stories cannot be told apart, and stay: leaving the counts at
 * the grant would name their author.)
 */
export function notByItsRepresentative(eb: ExpressionBuilder<DB, 'threads' | 'thread_vendors'>) {
  return eb.not(
    eb.exists(
      eb
        .selectFrom('representatives')
        .select(sql`1`.as('one'))
        .whereRef('representatives.user_id', '=', 'threads.author_id')
        .whereRef('representatives.vendor_id', '=', 'thread_vendors.vendor_id'),
    ),
  );
}

/**
 * After a member became or stopped being a representative of a vendor: their named stories about
 * it leave or rejoin its counts and its figures on answers.
 */
export async function settleRepresentativeVoices(
  trx: Transaction<DB>,
  memberId: number,
  vendorId: number,
) {
  const stories = await trx
    .selectFrom('threads')
    .innerJoin('thread_vendors', 'thread_vendors.thread_id', 'threads.id')
    .select('threads.id')
    .where('threads.author_id', '=', memberId)
    .where('thread_vendors.vendor_id', '=', vendorId)
    .orderBy('threads.id', 'desc')
    .execute();
  // Their named stories about the vendor share one voice: settling the latest settles it.
  const [latest] = stories;
  if (latest) await settleVoices(trx, latest.id);
  for (const story of stories) await settleResponses(trx, story.id);
}

/** Wraps an edit of a story: what it counted for is taken out before and put back after. */
export async function recountAround(
  trx: Transaction<DB>,
  threadId: number,
  edit: () => Promise<void>,
) {
  const rows = await trx
    .selectFrom('thread_vendors')
    .select('vendor_id')
    .where('thread_id', '=', threadId)
    .where('counted', '=', true)
    .orderBy('vendor_id') // vendor rows are locked in id order by every writer: no deadlock
    .execute();
  const before = rows.length > 0 ? await loadContribution(trx, threadId) : null;
  for (const row of rows) await apply(trx, row.vendor_id, before!, -1);
  await edit();
  if (rows.length === 0) return;
  const after = await loadContribution(trx, threadId);
  for (const row of rows) await apply(trx, row.vendor_id, after, 1);
}
