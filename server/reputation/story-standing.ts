import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { settleVoices } from './aggregates.js';
import { settleResponses } from './responses.js';

/** What decides whether a story counts for its vendors. */
export interface Standing {
  deleted: boolean;
  hidden: boolean;
  /** Hidden only because of reports, pending review. */
  held: boolean;
}

/**
 * A story counts for its vendors unless its author deleted it or a moderator hid it: a story held
 * for review because of reports still counts, so reports alone never move a vendor's numbers.
 */
export const storyCounts = (story: Standing) => !story.deleted && (!story.hidden || story.held);

/**
 * Copies stories' score, rank and visibility to their vendor rows (the vendor pages' indexes).
 * The one place that copy is written: posting, votes, moderation, deletion and the seeds use it.
 */
export async function copyToVendorRows(db: Kysely<DB>, threadIds: readonly number[] | 'all') {
  if (threadIds === 'all') return copyRows(db, sql``);
  // In slices, to stay below the protocol's limit on bound parameters.
  for (let start = 0; start < threadIds.length; start += 10_000) {
    const slice = threadIds.slice(start, start + 10_000).map((id) => sql`${id}`);
    await copyRows(db, sql`and tv.thread_id in (${sql.join(slice)})`);
  }
}

async function copyRows(db: Kysely<DB>, only: RawBuilder<unknown>) {
  await sql`update thread_vendors tv set score = t.score, hot_rank = t.hot_rank,
              visible = (t.deleted_at is null and t.hidden_at is null)
            from threads t where t.id = tv.thread_id ${only}`.execute(db);
}

/**
 * After a story was posted, deleted, hidden or restored (`before` is null for a new story): its
 * vendor rows follow it, and it leaves or rejoins its vendors' counts when whether it counts
 * changed. The one owner of that rule; story deletion and moderation both call it.
 */
export async function restandStory(
  trx: Transaction<DB>,
  threadId: number,
  before: Standing | null,
  after: Standing,
) {
  await copyToVendorRows(trx, [threadId]);
  await settleResponses(trx, threadId);
  const counted = before !== null && storyCounts(before);
  if (counted === storyCounts(after)) return;
  const vendors = await trx
    .selectFrom('thread_vendors')
    .select('vendor_id')
    .where('thread_id', '=', threadId)
    .execute();
  await adjustStoryCounts(
    trx,
    vendors.map((row) => row.vendor_id),
    counted ? -1 : 1,
  );
  await settleVoices(trx, threadId);
}

/**
 * Moves the vendors' story counts by `delta`. The vendor rows are locked in id order first, as
 * every writer does, so two stories about the same vendors cannot deadlock, and the aggregates
 * updated after this in the same transaction find the rows locked already.
 */
export async function adjustStoryCounts(db: Kysely<DB>, vendorIds: number[], delta: number) {
  if (vendorIds.length === 0) return;
  await db
    .selectFrom('vendors')
    .select('id')
    .where('id', 'in', vendorIds)
    .orderBy('id')
    .forUpdate()
    .execute();
  await db
    .updateTable('vendors')
    .set((eb) => ({ story_count: eb('story_count', '+', delta) }))
    .where('id', 'in', vendorIds)
    .execute();
}
