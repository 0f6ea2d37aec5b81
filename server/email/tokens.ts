import { createHash, randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

export type TokenPurpose = 'confirm' | 'reset';

export const CONFIRM_LIFETIME_MS = 24 * 3_600_000;
export const RESET_LIFETIME_MS = 3_600_000;

/** Only this is stored: a dump holds no link that works. */
export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/** A new single-use link token for a member; only its hash is kept. */
export async function createToken(
  db: Kysely<DB>,
  memberId: number,
  purpose: TokenPurpose,
  lifetimeMs: number,
  addressHash: string | null = null,
) {
  const token = randomBytes(32).toString('base64url');
  await db
    .insertInto('email_tokens')
    .values({
      token_hash: tokenHash(token),
      user_id: memberId,
      purpose,
      address_hash: addressHash,
      expires_at: new Date(Date.now() + lifetimeMs),
    })
    .execute();
  return token;
}

/** The member a token is for while it is unused and unexpired; nothing is changed. */
export async function peekToken(db: Kysely<DB>, token: string, purpose: TokenPurpose) {
  return db
    .selectFrom('email_tokens')
    .select(['user_id', 'address_hash'])
    .where('token_hash', '=', tokenHash(token))
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
}

/**
 * Uses a token up: one statement, so two clicks racing on one link cannot both get through.
 * Undefined when it is unknown, used or expired.
 */
export async function consumeToken(db: Kysely<DB>, token: string, purpose: TokenPurpose) {
  return db
    .updateTable('email_tokens')
    .set({ used_at: sql<Date>`now()` })
    .where('token_hash', '=', tokenHash(token))
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .returning(['user_id', 'address_hash'])
    .executeTakeFirst();
}

/** Ends every unused token of a purpose for a member (a new address, a new password). */
export async function retireTokens(db: Kysely<DB>, memberId: number, purpose: TokenPurpose) {
  await db
    .updateTable('email_tokens')
    .set({ used_at: sql<Date>`now()` })
    .where('user_id', '=', memberId)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .execute();
}

/** How many tokens of a purpose the member was sent in the last `windowMs`. */
export async function recentTokenCount(
  db: Kysely<DB>,
  memberId: number,
  purpose: TokenPurpose,
  windowMs: number,
) {
  const row = await db
    .selectFrom('email_tokens')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('user_id', '=', memberId)
    .where('purpose', '=', purpose)
    .where('created_at', '>', new Date(Date.now() - windowMs))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Forgets links that stopped working a week ago: a used or expired hash helps nobody. */
export async function purgeOldTokens(db: Kysely<DB>) {
  await db
    .deleteFrom('email_tokens')
    .where('expires_at', '<', sql<Date>`now() - interval '7 days'`)
    .execute();
}
