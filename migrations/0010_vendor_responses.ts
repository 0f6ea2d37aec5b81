import { sql, type Kysely } from 'kysely';

// Vendors answer, partners close the loop (issue 13):
// - representatives: an admin made the member (one row per member) a representative of a vendor;
// - replies.official_vendor_id: the reply is that vendor's official response to the story, one
//   per story and vendor while it is not deleted; shown above the replies, not counted in them;
// - threads.resolution: the story's author says whether the vendor resolved it (null: open);
//   threads.responses: how many official responses count (not deleted, not removed);
// - vendor_response_stats / vendor_response_days: per vendor and month of the story, how many
//   stories, how many answered and how the authors marked them, and the days to the answer, kept
//   on every write like the reputation aggregates; thread_vendors.tally_* is what each story
//   adds to them now, so that a write takes out exactly what it put in;
// - users.vendor_stories_seen_id: a representative's notices of new stories about their vendor
//   are derived from the stories, like replies; stories up to this id are not news.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('representatives')
    .addColumn('user_id', 'integer', (col) =>
      col.primaryKey().references('users.id').onDelete('cascade'),
    )
    .addColumn('vendor_id', 'integer', (col) =>
      col.notNull().references('vendors.id').onDelete('cascade'),
    )
    .addColumn('granted_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    // Stories up to this id were told before the grant: not news to the representative.
    .addColumn('since_thread_id', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('representatives_vendor_idx')
    .on('representatives')
    .column('vendor_id')
    .execute();
  await db.schema
    .alterTable('users')
    .addColumn('vendor_stories_seen_id', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
  // "Mark all as read" used to keep the newest reply the page listed, which could be a reply in
  // the member's own anonymous story: in a dump, a pointer from the member to it. It now keeps
  // the forum's newest reply; the old pointers are replaced the same way (replies up to now
  // count as read, a small price for a link that must not exist).
  await sql`update users set replies_seen_id = coalesce((select max(id) from replies), 0)
            where replies_seen_id > 0`.execute(db);

  await db.schema
    .alterTable('replies')
    .addColumn('official_vendor_id', 'integer', (col) => col.references('vendors.id'))
    .execute();
  // An official response is always named: the vendor answers, not an anonymous provider.
  await sql`alter table replies add constraint replies_official_named check (official_vendor_id is null or not anonymous)`.execute(
    db,
  );
  await sql`create unique index replies_one_official_response on replies (thread_id, official_vendor_id)
            where official_vendor_id is not null and deleted_at is null`.execute(db);

  await db.schema
    .alterTable('threads')
    .addColumn('resolution', 'text', (col) =>
      col.check(sql`resolution in ('resolved', 'not-resolved')`),
    )
    .addColumn('responses', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();

  await db.schema
    .alterTable('thread_vendors')
    .addColumn('tally_month', 'date')
    .addColumn('tally_days', 'integer')
    .addColumn('tally_resolution', 'text')
    .execute();
  // The representative's desk: the vendor's stories, oldest first.
  await sql`create index thread_vendors_desk_idx on thread_vendors (vendor_id, thread_id) where visible`.execute(
    db,
  );

  await db.schema
    .createTable('vendor_response_stats')
    .addColumn('vendor_id', 'integer', (col) =>
      col.notNull().references('vendors.id').onDelete('cascade'),
    )
    .addColumn('month', 'date', (col) => col.notNull())
    .addColumn('stories', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('answered', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('resolved', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('not_resolved', 'integer', (col) => col.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('vendor_response_stats_pkey', ['vendor_id', 'month'])
    .execute();
  await db.schema
    .createTable('vendor_response_days')
    .addColumn('vendor_id', 'integer', (col) =>
      col.notNull().references('vendors.id').onDelete('cascade'),
    )
    .addColumn('month', 'date', (col) => col.notNull())
    .addColumn('days', 'integer', (col) => col.notNull())
    .addColumn('answers', 'integer', (col) => col.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('vendor_response_days_pkey', ['vendor_id', 'month', 'days'])
    .execute();
  // Every standing story counts as one not yet answered.
  await sql`update thread_vendors tv set tally_month = date_trunc('month', t.created_at at time zone 'UTC')::date
            from threads t where t.id = tv.thread_id
              and t.deleted_at is null and (t.hidden_at is null or t.held_for_review)`.execute(db);
  await sql`insert into vendor_response_stats (vendor_id, month, stories)
            select vendor_id, tally_month, count(*)::int from thread_vendors
            where tally_month is not null group by vendor_id, tally_month`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('vendor_response_days').execute();
  await db.schema.dropTable('vendor_response_stats').execute();
  await sql`drop index thread_vendors_desk_idx`.execute(db);
  await db.schema
    .alterTable('thread_vendors')
    .dropColumn('tally_month')
    .dropColumn('tally_days')
    .dropColumn('tally_resolution')
    .execute();
  await db.schema.alterTable('threads').dropColumn('resolution').dropColumn('responses').execute();
  // Official responses become ordinary replies, counted on their stories again.
  await sql`update threads t set reply_count = reply_count + o.n from (
              select thread_id, count(*)::int as n from replies
              where official_vendor_id is not null group by thread_id) o
            where o.thread_id = t.id`.execute(db);
  await db.schema.alterTable('replies').dropColumn('official_vendor_id').execute();
  await db.schema.alterTable('users').dropColumn('vendor_stories_seen_id').execute();
  await db.schema.dropTable('representatives').execute();
}
