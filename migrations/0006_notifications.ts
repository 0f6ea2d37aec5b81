import { sql, type Kysely } from 'kysely';

// In-forum notifications. The recipient is a keyed hash of the member (one for notices about
// their named posts, another for their anonymous ones), the content is sealed with a key from
// ANON_SECRET, the id is random and the time is to the hour: a database dump cannot tell whose
// notice it is, nor tie a member's anonymous threads to their named ones.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('recipient', 'text', (col) => col.notNull())
    .addColumn('sealed', 'text', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull())
    .addColumn('read_at', 'timestamptz')
    .execute();
  await sql`create index notifications_recipient_idx on notifications (recipient, created_at desc, id)`.execute(
    db,
  );
  await sql`create index notifications_unread_idx on notifications (recipient) where read_at is null`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('notifications').execute();
}
