import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Member } from '../security/member.js';
import { prepared } from '../db/prepared.js';
import {
  generateSessionToken,
  hashSessionSecret,
  parseSessionToken,
  secretMatches,
} from '../security/session-token.js';

export const DAY = 24 * 60 * 60 * 1000;
export const SESSION_LIFETIME = 30 * DAY;
/** A session used within its last 15 days is extended to a full 30 again (sliding expiry). */
const RENEW_WITHIN = 15 * DAY;

/** The sliding expiry, never past `maxAge` after the session began (the absolute lifetime). */
function expiryFor(createdAt: number, now: number, maxAge: number) {
  return new Date(Math.min(now + SESSION_LIFETIME, createdAt + maxAge));
}

export interface ValidSession {
  id: string;
  expiresAt: Date;
  /** True when the expiry moved and the cookie must be sent again. */
  renewed: boolean;
  member: Member;
}

/** Starts a session that lives at most `maxAge` milliseconds, however often it is used. */
export async function createSession(db: Kysely<DB>, userId: number, maxAge: number) {
  const { id, secret, token } = generateSessionToken();
  const now = Date.now();
  const expiresAt = expiryFor(now, now, maxAge);
  await db
    .insertInto('sessions')
    .values({
      id,
      secret_hash: hashSessionSecret(secret),
      user_id: userId,
      created_at: new Date(now),
      expires_at: expiresAt,
    })
    .execute();
  return { token, expiresAt };
}

/** A session with its member: read on every request a member makes. */
const sessionWithMember = prepared((db, values: { id: string }) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .leftJoin('representatives', 'representatives.user_id', 'users.id')
    .leftJoin('vendors', 'vendors.id', 'representatives.vendor_id')
    .select([
      'vendors.id as vendor_id',
      'vendors.name as vendor_name',
      'vendors.slug as vendor_slug',
      'sessions.id',
      'sessions.secret_hash',
      'sessions.created_at',
      'sessions.expires_at',
      'users.id as user_id',
      'users.username',
      'users.role',
    ])
    .where('sessions.id', '=', values.id),
);

/**
 * Returns the session and its member, or null for a malformed, unknown, forged or expired token,
 * or for a session that began more than `maxAge` milliseconds ago (an expired one is deleted).
 */
export async function validateSessionToken(
  db: Kysely<DB>,
  token: string,
  maxAge: number,
): Promise<ValidSession | null> {
  const parts = parseSessionToken(token);
  if (!parts) return null;
  const [row] = await sessionWithMember(db, { id: parts.id });
  if (!row || !secretMatches(parts.secret, row.secret_hash)) return null;

  const now = Date.now();
  const createdAt = row.created_at.getTime();
  if (row.expires_at.getTime() <= now || createdAt + maxAge <= now) {
    await deleteSession(db, row.id);
    return null;
  }
  let expiresAt = row.expires_at;
  const extended = expiryFor(createdAt, now, maxAge);
  const renewed =
    expiresAt.getTime() - now < RENEW_WITHIN && extended.getTime() > expiresAt.getTime();
  if (renewed) {
    expiresAt = extended;
    await db
      .updateTable('sessions')
      .set({ expires_at: expiresAt })
      .where('id', '=', row.id)
      .execute();
  }
  const member: Member = {
    id: row.user_id,
    username: row.username,
    role: row.role,
    represents:
      row.vendor_id === null || row.vendor_name === null || row.vendor_slug === null
        ? null
        : { id: row.vendor_id, name: row.vendor_name, slug: row.vendor_slug },
  };
  return { id: row.id, expiresAt, renewed, member };
}

export async function deleteSession(db: Kysely<DB>, sessionId: string) {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

/** Ends every session of a member, or every one but `keep` (after a password change). */
export async function deleteMemberSessions(db: Kysely<DB>, userId: number, keep?: string) {
  await db
    .deleteFrom('sessions')
    .where('user_id', '=', userId)
    .$if(keep !== undefined, (query) => query.where('id', '!=', keep!))
    .execute();
}
