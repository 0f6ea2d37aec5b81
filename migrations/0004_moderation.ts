import { sql, type Kysely } from 'kysely';

// Reports, moderation (hiding, locking, suspensions, vendor merges) and the append-only log.
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['threads', 'replies']) {
    await db.schema
      .alterTable(table)
      .addColumn('hidden_at', 'timestamptz')
      .addColumn('hidden_reason', 'text')
      .execute();
  }
  await db.schema.alterTable('threads').addColumn('locked_at', 'timestamptz').execute();

  await db.schema
    .createTable('reports')
    .addColumn('id', 'integer', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('thread_id', 'integer', (col) => col.references('threads.id').onDelete('cascade'))
    .addColumn('reply_id', 'integer', (col) => col.references('replies.id').onDelete('cascade'))
    .addColumn('reporter_id', 'integer', (col) =>
      col.notNull().references('users.id').onDelete('cascade'),
    )
    .addColumn('reason', 'text', (col) =>
      col
        .notNull()
        .check(
          sql`reason in ('spam', 'harassment', 'personal-data', 'false-claim', 'off-topic', 'other')`,
        ),
    )
    .addColumn('note', 'text')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('resolved_at', 'timestamptz')
    .addCheckConstraint('reports_post_check', sql`(thread_id is null) <> (reply_id is null)`)
    .execute();
  await sql`create unique index reports_thread_once on reports (thread_id, reporter_id) where thread_id is not null`.execute(
    db,
  );
  await sql`create unique index reports_reply_once on reports (reply_id, reporter_id) where reply_id is not null`.execute(
    db,
  );
  await sql`create index reports_open_idx on reports (created_at) where resolved_at is null`.execute(
    db,
  );

  // Suspensions are keyed by a hash of the member id made with ANON_SECRET, so that a suspension
  // made through an anonymous post names nobody, not even in a database dump.
  await db.schema
    .createTable('suspensions')
    .addColumn('subject', 'text', (col) => col.primaryKey())
    .addColumn('until', 'timestamptz', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('vendor_redirects')
    .addColumn('old_slug', 'text', (col) => col.primaryKey())
    .addColumn('vendor_id', 'integer', (col) =>
      col.notNull().references('vendors.id').onDelete('cascade'),
    )
    .execute();

  // The log keeps names as they were (no foreign keys), and refuses updates and deletes.
  await db.schema
    .createTable('moderation_log')
    .addColumn('id', 'integer', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('moderator', 'text', (col) => col.notNull())
    .addColumn('action', 'text', (col) => col.notNull())
    .addColumn('thread_id', 'integer')
    .addColumn('reply_id', 'integer')
    .addColumn('vendor', 'text')
    .addColumn('member', 'text')
    .addColumn('detail', 'text')
    .addColumn('reason', 'text', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('moderation_log_moderator_idx')
    .on('moderation_log')
    .columns(['moderator', 'id'])
    .execute();
  await db.schema
    .createIndex('moderation_log_action_idx')
    .on('moderation_log')
    .columns(['action', 'id'])
    .execute();
  await sql`create function moderation_log_append_only() returns trigger language plpgsql as $$
    begin raise exception 'the moderation log is append-only'; end $$`.execute(db);
  await sql`create trigger moderation_log_append_only before update or delete on moderation_log
    for each statement execute function moderation_log_append_only()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger moderation_log_append_only on moderation_log`.execute(db);
  await sql`drop function moderation_log_append_only()`.execute(db);
  for (const table of ['moderation_log', 'vendor_redirects', 'suspensions', 'reports']) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.alterTable('threads').dropColumn('locked_at').execute();
  for (const table of ['threads', 'replies']) {
    await db.schema.alterTable(table).dropColumn('hidden_at').dropColumn('hidden_reason').execute();
  }
}
