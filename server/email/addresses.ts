import { sql, type Kysely } from 'kysely';
import type { DB, MailFrequency } from '../db/schema.js';
import type { Anonymity } from '../security/anonymity.js';

export const FREQUENCIES: readonly { value: MailFrequency; label: string }[] = [
  { value: 'immediate', label: 'Right away' },
  { value: 'daily', label: 'A daily digest' },
  { value: 'weekly', label: 'A weekly digest' },
  { value: 'never', label: 'Never (notices on the site only)' },
];

const DAY_MS = 24 * 3_600_000;
const PERIOD_MS: Record<MailFrequency, number | null> = {
  immediate: 0,
  daily: DAY_MS,
  weekly: 7 * DAY_MS,
  never: null,
};

/** When the next mail of notices is due for a frequency, from `now`; null for never. */
export function nextMailAt(frequency: MailFrequency, now: Date): Date | null {
  const period = PERIOD_MS[frequency];
  return period === null ? null : new Date(now.getTime() + period);
}

/**
 * What an address must look like: one @, a dot in the domain, no spaces, brackets, or invisible
 * characters (controls, zero-width and other format characters, which a mail server refuses and
 * a reader cannot see).
 */
const ADDRESS_PATTERN =
  /^[^\s\p{C}\p{Z}@<>()[\]\\,;:"]+@[^\s\p{C}\p{Z}@<>()[\]\\,;:"]+\.[^\s\p{C}\p{Z}@<>()[\]\\,;:".]+$/u;

/** SMTP's limit on an address, in bytes (RFC 5321), which is also what its sealed box holds. */
export const ADDRESS_MAX_BYTES = 254;

export function isAddress(address: string): boolean {
  return Buffer.byteLength(address) <= ADDRESS_MAX_BYTES && ADDRESS_PATTERN.test(address);
}

export interface EmailSettings {
  address: string;
  confirmed: boolean;
  frequency: MailFrequency;
}

/** The member's own address and choices, opened; null when they gave none. */
export async function getEmailSettings(
  db: Kysely<DB>,
  anonymity: Anonymity,
  memberId: number,
): Promise<EmailSettings | null> {
  const row = await db
    .selectFrom('member_emails')
    .select(['address_sealed', 'confirmed_at', 'frequency'])
    .where('user_id', '=', memberId)
    .executeTakeFirst();
  if (!row) return null;
  return {
    address: anonymity.openAddress(row.address_sealed) ?? '',
    confirmed: row.confirmed_at !== null,
    frequency: row.frequency,
  };
}

/** The member's confirmed address, for a mail to them; null when they have none. */
export async function confirmedAddress(db: Kysely<DB>, anonymity: Anonymity, memberId: number) {
  const row = await db
    .selectFrom('member_emails')
    .innerJoin('users', 'users.id', 'member_emails.user_id')
    .select(['member_emails.address_sealed', 'users.username'])
    .where('member_emails.user_id', '=', memberId)
    .where('member_emails.confirmed_at', 'is not', null)
    .executeTakeFirst();
  const address = row && anonymity.openAddress(row.address_sealed);
  return row && address ? { address, username: row.username } : null;
}

/**
 * Sets the member's address, unconfirmed, in place of any other; keeps the frequency they chose.
 * Returns the address it replaced, if that one was confirmed (it is told of the change).
 */
export async function setAddress(
  db: Kysely<DB>,
  anonymity: Anonymity,
  memberId: number,
  address: string,
) {
  const previous = await confirmedAddress(db, anonymity, memberId);
  await db
    .insertInto('member_emails')
    .values({
      user_id: memberId,
      address_sealed: anonymity.sealAddress(address),
      address_hash: anonymity.addressHash(address),
    })
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet({
        address_sealed: anonymity.sealAddress(address),
        address_hash: anonymity.addressHash(address),
        confirmed_at: null,
        next_mail_at: null,
      }),
    )
    .execute();
  return previous;
}

export async function removeAddress(db: Kysely<DB>, memberId: number) {
  await db.deleteFrom('member_emails').where('user_id', '=', memberId).execute();
}

/**
 * Confirms the address a link was sent to, if it is still the member's: mail about notices
 * then starts from what is new now. Fails with a unique violation when another account
 * confirmed the same address first.
 */
export async function confirmAddress(
  db: Kysely<DB>,
  memberId: number,
  addressHash: string,
  now = new Date(),
) {
  const row = await db
    .updateTable('member_emails')
    .set({
      confirmed_at: now,
      next_mail_at: sql<Date | null>`case frequency when 'immediate' then ${now}::timestamptz
        when 'daily' then ${now}::timestamptz + interval '1 day'
        when 'weekly' then ${now}::timestamptz + interval '7 days' end`,
      ...newsFromNow(),
    })
    .where('user_id', '=', memberId)
    .where('address_hash', '=', addressHash)
    .returning('user_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** The watermarks a new choice starts from: the forum's newest story and reply now. */
function newsFromNow() {
  return {
    stories_mailed_id: sql<number>`coalesce((select max(id) from threads), 0)`,
    replies_mailed_id: sql<number>`coalesce((select max(id) from replies), 0)`,
  };
}

/** A new frequency; a member who had none starts from what is new now. */
export async function setFrequency(
  db: Kysely<DB>,
  memberId: number,
  frequency: MailFrequency,
  now = new Date(),
) {
  const result = await db
    .updateTable('member_emails')
    .set((eb) => ({
      frequency,
      next_mail_at: nextMailAt(frequency, now),
      stories_mailed_id: eb
        .case()
        .when('frequency', '=', 'never')
        .then(newsFromNow().stories_mailed_id)
        .else(eb.ref('stories_mailed_id'))
        .end(),
      replies_mailed_id: eb
        .case()
        .when('frequency', '=', 'never')
        .then(newsFromNow().replies_mailed_id)
        .else(eb.ref('replies_mailed_id'))
        .end(),
    }))
    .where('user_id', '=', memberId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** The member a username or a confirmed address names, if any (password reset). */
export async function findByLogin(db: Kysely<DB>, anonymity: Anonymity, login: string) {
  const trimmed = login.trim();
  if (trimmed.includes('@')) {
    const row = await db
      .selectFrom('member_emails')
      .select('user_id')
      .where('address_hash', '=', anonymity.addressHash(trimmed))
      .where('confirmed_at', 'is not', null)
      .executeTakeFirst();
    return row?.user_id ?? null;
  }
  const row = await db
    .selectFrom('users')
    .select('id')
    .where(sql<string>`lower(username)`, '=', trimmed.toLowerCase())
    .executeTakeFirst();
  return row?.id ?? null;
}
