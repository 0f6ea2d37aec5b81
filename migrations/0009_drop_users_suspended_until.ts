import type { Kysely } from 'kysely';

// Suspensions live in the sealed `suspensions` table since 0004/0007; nothing has written this
// column since, and the session lookup read it on every request for nothing.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('suspended_until').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('suspended_until', 'timestamptz').execute();
}
