// The database as the migrations in migrations/ leave it. Change this file in the same commit
// as the migration that changes the tables. Column names are snake_case, as in SQL.
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

export type Role = 'member' | 'moderator' | 'admin';
export const ROLES: readonly Role[] = ['member', 'moderator', 'admin'];

export interface UsersTable {
  id: Generated<number>;
  username: string;
  password_hash: string;
  role: ColumnType<Role, Role | undefined, Role>;
  company: string | null;
  bio: string | null;
  suspended_until: Timestamp | null;
  created_at: CreatedAt;
}

export interface SessionsTable {
  id: string;
  secret_hash: Uint8Array;
  user_id: number;
  created_at: CreatedAt;
  expires_at: Timestamp;
}

export interface DB {
  users: UsersTable;
  sessions: SessionsTable;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type Session = Selectable<SessionsTable>;
