import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { HttpError } from '../http-errors.js';
import { rebuildAggregates } from '../reputation/recompute.js';
import type { Anonymity } from '../security/anonymity.js';
import { authorOf } from '../posts/authors.js';

export interface MergedVendors {
  from: { name: string; slug: string };
  into: { name: string; slug: string };
}

/**
 * Merges a duplicate vendor into another: its stories, names and slug move (the old slug
 * redirects), named stories' voices are re-keyed for the surviving vendor, and the aggregates are
 * rebuilt from the rows. Anonymous stories carry no voice key, so the merge gives two anonymous
 * stories of one author nothing in common, in the counts or in a dump; their author's claim on
 * the old vendor moves to the surviving one. The caller logs it in the same transaction.
 */
export async function mergeVendors(
  trx: Transaction<DB>,
  anonymity: Anonymity,
  slugs: { from: string; into: string },
): Promise<MergedVendors> {
  const from = await findVendor(trx, slugs.from);
  const into = await findVendor(trx, slugs.into);
  if (!from || !into)
    throw new HttpError(
      400,
      'Name both vendors by the slug in their address (e.g. "dell" in /vendors/dell).',
    );
  if (from.id === into.id) throw new HttpError(400, 'A vendor cannot be merged into itself.');
  await moveStories(trx, anonymity, from.id, into.id);
  await moveNames(trx, from, into.id);
  await moveVendorSide(trx, from.id, into.id);
  await trx.deleteFrom('vendors').where('id', '=', from.id).execute();
  await rebuildAggregates(trx);
  return { from, into };
}

function findVendor(db: Kysely<DB>, slug: string) {
  return db
    .selectFrom('vendors')
    .select(['id', 'name', 'slug'])
    .where('slug', '=', slug)
    .executeTakeFirst();
}

async function moveStories(
  trx: Transaction<DB>,
  anonymity: Anonymity,
  fromId: number,
  intoId: number,
) {
  // A story tagged with both keeps its row for the surviving vendor only.
  await sql`delete from thread_vendors tv where tv.vendor_id = ${fromId}
    and exists (select 1 from thread_vendors o where o.thread_id = tv.thread_id and o.vendor_id = ${intoId})`.execute(
    trx,
  );
  const moved = await trx
    .selectFrom('thread_vendors')
    .innerJoin('threads', 'threads.id', 'thread_vendors.thread_id')
    .select([
      'threads.id',
      'threads.anonymous',
      'threads.author_id',
      'threads.author_box',
      'threads.deleted_at',
    ])
    .where('thread_vendors.vendor_id', '=', fromId)
    .execute();
  await sql`update thread_vendors tv set vendor_id = ${intoId}, counted = false,
      voice_key = case when t.anonymous then null else voice_key end
    from threads t where t.id = tv.thread_id and tv.vendor_id = ${fromId}`.execute(trx);
  for (const row of moved) {
    const memberId = authorOf(row, anonymity);
    if (memberId === null) continue;
    if (row.anonymous) {
      // A story its author deleted gave its claim back already.
      if (row.deleted_at === null)
        await moveAnonymousClaim(trx, anonymity, memberId, fromId, intoId);
      continue;
    }
    await trx
      .updateTable('thread_vendors')
      .set({ voice_key: anonymity.namedVoice(intoId, memberId) })
      .where('thread_id', '=', row.id)
      .where('vendor_id', '=', intoId)
      .execute();
  }
  await retagStories(trx, intoId);
}

/** An anonymous author's one-story claim on the old vendor moves to the surviving one. */
async function moveAnonymousClaim(
  trx: Transaction<DB>,
  anonymity: Anonymity,
  memberId: number,
  fromId: number,
  intoId: number,
) {
  await trx
    .deleteFrom('anonymous_voices')
    .where('voice', '=', anonymity.anonymousVoice(fromId, memberId))
    .execute();
  const claimed = await trx
    .insertInto('anonymous_voices')
    .values({ voice: anonymity.anonymousVoice(intoId, memberId) })
    .onConflict((oc) => oc.doNothing())
    .returning('voice')
    .executeTakeFirst();
  // Held already: a filler keeps the row count, which would otherwise show that the two stories
  // share an author.
  if (!claimed)
    await trx
      .insertInto('anonymous_voices')
      .values({ voice: anonymity.unlinked().authorTag })
      .execute();
}

/** The stories of the surviving vendor carry its name and slug in their copied tags. */
async function retagStories(trx: Transaction<DB>, intoId: number) {
  await sql`update threads t set vendor_tags = v.tags from (
      select tv.thread_id, jsonb_agg(jsonb_build_object('id', v.id, 'name', v.name, 'slug', v.slug) order by tv.position) as tags
      from thread_vendors tv join vendors v on v.id = tv.vendor_id
      where tv.thread_id in (select thread_id from thread_vendors where vendor_id = ${intoId})
      group by tv.thread_id) v
    where v.thread_id = t.id`.execute(trx);
}

/**
 * The old vendor's representatives and official responses become the surviving vendor's. Where
 * both answered one story, the old vendor's answer stays as an ordinary reply (one official
 * response per story and vendor).
 */
async function moveVendorSide(trx: Transaction<DB>, fromId: number, intoId: number) {
  const demoted = await sql<{ thread_id: number }>`
    update replies r set official_vendor_id = null
    where r.official_vendor_id = ${fromId} and r.deleted_at is null and exists (
      select 1 from replies o where o.thread_id = r.thread_id and o.official_vendor_id = ${intoId}
        and o.deleted_at is null)
    returning r.thread_id`.execute(trx);
  for (const { thread_id } of demoted.rows) {
    await trx
      .updateTable('threads')
      .set((eb) => ({ reply_count: eb('reply_count', '+', 1) }))
      .where('id', '=', thread_id)
      .execute();
  }
  await trx
    .updateTable('replies')
    .set({ official_vendor_id: intoId })
    .where('official_vendor_id', '=', fromId)
    .execute();
  await trx
    .updateTable('representatives')
    .set({ vendor_id: intoId })
    .where('vendor_id', '=', fromId)
    .execute();
  // Followers of the duplicate follow the surviving vendor (once, if they followed both).
  await sql`insert into vendor_follows (user_id, vendor_id, since_thread_id, created_at)
    select user_id, ${intoId}, since_thread_id, created_at from vendor_follows
     where vendor_id = ${fromId}
    on conflict (user_id, vendor_id) do nothing`.execute(trx);
}

async function moveNames(trx: Transaction<DB>, from: { id: number; slug: string }, intoId: number) {
  await trx
    .updateTable('vendor_names')
    .set({ vendor_id: intoId })
    .where('vendor_id', '=', from.id)
    .execute();
  await trx
    .updateTable('vendor_redirects')
    .set({ vendor_id: intoId })
    .where('vendor_id', '=', from.id)
    .execute();
  await trx
    .insertInto('vendor_redirects')
    .values({ old_slug: from.slug, vendor_id: intoId })
    .execute();
}
