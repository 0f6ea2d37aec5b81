import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { prepared } from '../db/prepared.js';

/** Follows a vendor from now on: stories told before are not news. Following twice is once. */
export async function follow(db: Kysely<DB>, memberId: number, vendorId: number) {
  await db
    .insertInto('vendor_follows')
    .values({
      user_id: memberId,
      vendor_id: vendorId,
      since_thread_id: sql<number>`coalesce((select max(id) from threads), 0)`,
    })
    .onConflict((oc) => oc.columns(['user_id', 'vendor_id']).doNothing())
    .execute();
}

export async function unfollow(db: Kysely<DB>, memberId: number, vendorId: number) {
  await db
    .deleteFrom('vendor_follows')
    .where('user_id', '=', memberId)
    .where('vendor_id', '=', vendorId)
    .execute();
}

export async function isFollowing(db: Kysely<DB>, memberId: number, vendorId: number) {
  const rows = await followQuery(db, { memberId, vendorId });
  return rows.length > 0;
}

/** Read for every vendor page a member views: built once. */
const followQuery = prepared((db, values: { memberId: number; vendorId: number }) =>
  db
    .selectFrom('vendor_follows')
    .select('vendor_id')
    .where('user_id', '=', values.memberId)
    .where('vendor_id', '=', values.vendorId),
);

/** The vendors a member follows, by name (the account page lists them all: a member's own few). */
export function listFollowed(db: Kysely<DB>, memberId: number) {
  return db
    .selectFrom('vendor_follows')
    .innerJoin('vendors', 'vendors.id', 'vendor_follows.vendor_id')
    .select(['vendors.name', 'vendors.slug', 'vendor_follows.created_at'])
    .where('vendor_follows.user_id', '=', memberId)
    .orderBy('vendors.name')
    .execute();
}
