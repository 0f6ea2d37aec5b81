import { sql, type Kysely } from 'kysely';
import type { DB, Role } from '../db/schema.js';
import { usernameKey } from '../security/lookalike.js';

export function findUserByUsername(db: Kysely<DB>, username: string) {
  return db
    .selectFrom('users')
    .select(['id', 'username', 'password_hash', 'role', 'created_at'])
    .where(sql<string>`lower(username)`, '=', username.toLowerCase())
    .executeTakeFirst();
}

export async function usernameTaken(db: Kysely<DB>, username: string): Promise<boolean> {
  return (await findUserByUsername(db, username)) !== undefined;
}

/** True when a member's username looks like this one (same TR39 skeleton, case folded). */
export async function usernameLookalikeTaken(db: Kysely<DB>, username: string): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('username_key', '=', usernameKey(username))
    .executeTakeFirst();
  return row !== undefined;
}

export async function createUser(
  db: Kysely<DB>,
  user: { username: string; passwordHash: string; role?: Role },
) {
  return db
    .insertInto('users')
    .values({
      username: user.username,
      username_key: usernameKey(user.username),
      password_hash: user.passwordHash,
      role: user.role,
    })
    .returning(['id', 'username', 'role'])
    .executeTakeFirstOrThrow();
}

export function getAccount(db: Kysely<DB>, userId: number) {
  return db
    .selectFrom('users')
    .select(['id', 'username', 'role', 'company', 'bio', 'created_at'])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
}

/** Returns false when no member has that username. */
export async function updateRole(db: Kysely<DB>, username: string, role: Role): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ role })
    .where(sql<string>`lower(username)`, '=', username.toLowerCase())
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** PostgreSQL's unique_violation, raised when two registrations race for one username. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string })?.code === '23505';
}

export async function updateProfile(
  db: Kysely<DB>,
  userId: number,
  profile: { company: string | null; bio: string | null },
) {
  await db.updateTable('users').set(profile).where('id', '=', userId).execute();
}

export async function updatePassword(db: Kysely<DB>, userId: number, passwordHash: string) {
  await db
    .updateTable('users')
    .set({ password_hash: passwordHash })
    .where('id', '=', userId)
    .execute();
}
