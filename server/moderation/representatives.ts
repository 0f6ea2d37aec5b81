import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import { HttpError } from '../http-errors.js';
import { settleRepresentativeVoices } from '../reputation/aggregates.js';
import type { Member, VendorRef } from '../security/member.js';
import { appendLog } from './queries.js';

// Representatives: members an admin lets answer for one vendor. A grant or a withdrawal is one
// transaction with its log entry, and the member's named stories about the vendor leave (or
// rejoin) its counts with it.

export interface RepresentativeChange {
  vendor: VendorRef;
  username: string;
  reason: string;
}

/** A problem with the form: shown beside the username field. */
export class RepresentativeRefused extends HttpError {}

async function findMember(db: Kysely<DB>, username: string) {
  return db
    .selectFrom('users')
    .leftJoin('representatives', 'representatives.user_id', 'users.id')
    .leftJoin('vendors', 'vendors.id', 'representatives.vendor_id')
    .select(['users.id', 'users.username', 'representatives.vendor_id', 'vendors.name as vendor'])
    .where(sql<string>`lower(users.username)`, '=', username.trim().toLowerCase())
    .forUpdate('users')
    .executeTakeFirst();
}

const logVendor = (vendor: VendorRef) => `${vendor.name} (${vendor.slug})`;

export async function grantRepresentative(
  db: Kysely<DB>,
  admin: Member,
  change: RepresentativeChange,
) {
  await inTransaction(db, async (trx) => {
    const member = await findMember(trx, change.username);
    if (!member) throw new RepresentativeRefused(400, `No member is called "${change.username}".`);
    if (member.vendor_id === change.vendor.id)
      throw new RepresentativeRefused(
        409,
        `${member.username} represents ${change.vendor.name} already.`,
      );
    if (member.vendor_id !== null)
      throw new RepresentativeRefused(
        409,
        `${member.username} represents ${member.vendor ?? 'another vendor'}: a member represents one vendor, so withdraw that first.`,
      );
    await trx
      .insertInto('representatives')
      .values({
        user_id: member.id,
        vendor_id: change.vendor.id,
        // Stories told before the grant are not news to the new representative.
        since_thread_id: sql<number>`coalesce((select max(id) from threads), 0)`,
      })
      .execute();
    await settleRepresentativeVoices(trx, member.id, change.vendor.id);
    await appendLog(trx, {
      moderator: admin.username,
      action: 'grant-representative',
      vendor: logVendor(change.vendor),
      member: member.username,
      reason: change.reason,
    });
  });
}

export async function withdrawRepresentative(
  db: Kysely<DB>,
  admin: Member,
  change: RepresentativeChange,
) {
  await inTransaction(db, async (trx) => {
    const member = await findMember(trx, change.username);
    if (!member || member.vendor_id !== change.vendor.id)
      throw new RepresentativeRefused(
        409,
        `${member?.username ?? change.username} does not represent ${change.vendor.name}.`,
      );
    await trx.deleteFrom('representatives').where('user_id', '=', member.id).execute();
    await settleRepresentativeVoices(trx, member.id, change.vendor.id);
    await appendLog(trx, {
      moderator: admin.username,
      action: 'withdraw-representative',
      vendor: logVendor(change.vendor),
      member: member.username,
      reason: change.reason,
    });
  });
}

/** The vendor's representatives, with how many official responses each has written. */
export function listRepresentatives(db: Kysely<DB>, vendorId: number) {
  return db
    .selectFrom('representatives')
    .innerJoin('users', 'users.id', 'representatives.user_id')
    .select([
      'users.username',
      'representatives.granted_at',
      sql<number>`(select count(*)::int from replies r where r.author_id = users.id
        and r.official_vendor_id = ${vendorId} and r.deleted_at is null)`.as('responses'),
    ])
    .where('representatives.vendor_id', '=', vendorId)
    .orderBy(sql`lower(users.username)`)
    .execute();
}

/** The log entries about the vendor's representatives, newest first. */
export function listRepresentativeLog(db: Kysely<DB>, vendor: VendorRef, limit = 20) {
  return db
    .selectFrom('moderation_log')
    .select(['moderator', 'action', 'member', 'reason', 'created_at'])
    .where('action', 'in', ['grant-representative', 'withdraw-representative'])
    .where('vendor', '=', logVendor(vendor))
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
