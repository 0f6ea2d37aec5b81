import { sql, type Kysely } from 'kysely';

// Email, optional and sealed (issue 15):
// - member_emails: at most one address per member, sealed with a key from ANON_SECRET (AES-256-
//   GCM) beside a keyed hash for lookup and uniqueness, so that a dump without the secret shows
//   neither the address nor its domain. Unique among confirmed addresses only: adding an address
//   someone else uses tells the adder nothing. The member's mail frequency, when their next mail
//   is due and the forum's newest story and reply when they were last written to (not the last
//   ones the mail listed: that could point into the member's own anonymous story);
// - email_tokens: confirmation and password-reset links, stored only as hashes, single use;
// - vendor_follows: a member follows a vendor; stories told before they followed are not news;
// - mail_queue: mail waiting to be sent, sealed whole (recipient, subject, body), keyed by a
//   hash of the member that names nobody without the secret; deleted once sent.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('member_emails')
    .addColumn('user_id', 'integer', (col) =>
      col.primaryKey().references('users.id').onDelete('cascade'),
    )
    .addColumn('address_sealed', 'text', (col) => col.notNull())
    .addColumn('address_hash', 'text', (col) => col.notNull())
    .addColumn('confirmed_at', 'timestamptz')
    .addColumn('frequency', 'text', (col) =>
      col
        .notNull()
        .defaultTo('never')
        .check(sql`frequency in ('immediate', 'daily', 'weekly', 'never')`),
    )
    .addColumn('next_mail_at', 'timestamptz')
    .addColumn('stories_mailed_id', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('replies_mailed_id', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index member_emails_confirmed_address_idx
            on member_emails (address_hash) where confirmed_at is not null`.execute(db);
  await sql`create index member_emails_due_idx on member_emails (next_mail_at)
            where confirmed_at is not null and frequency <> 'never'`.execute(db);

  await db.schema
    .createTable('email_tokens')
    .addColumn('token_hash', 'text', (col) => col.primaryKey())
    .addColumn('user_id', 'integer', (col) =>
      col.notNull().references('users.id').onDelete('cascade'),
    )
    .addColumn('purpose', 'text', (col) =>
      col.notNull().check(sql`purpose in ('confirm', 'reset')`),
    )
    // A confirmation link confirms the address it was sent to, not one set since.
    .addColumn('address_hash', 'text')
    .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
    .addColumn('used_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('email_tokens_user_idx')
    .on('email_tokens')
    .columns(['user_id', 'purpose', 'created_at'])
    .execute();

  await db.schema
    .createTable('vendor_follows')
    .addColumn('user_id', 'integer', (col) =>
      col.notNull().references('users.id').onDelete('cascade'),
    )
    .addColumn('vendor_id', 'integer', (col) =>
      col.notNull().references('vendors.id').onDelete('cascade'),
    )
    // Stories up to this id were told before the member followed: not news to them.
    .addColumn('since_thread_id', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('vendor_follows_pk', ['user_id', 'vendor_id'])
    .execute();
  await db.schema
    .createIndex('vendor_follows_vendor_idx')
    .on('vendor_follows')
    .columns(['vendor_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('mail_queue')
    .addColumn('id', 'integer', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('recipient', 'text', (col) => col.notNull())
    .addColumn('sealed', 'text', (col) => col.notNull())
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    // A worker that claimed the mail holds it until then; after that another may try.
    .addColumn('locked_until', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('failed_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index mail_queue_due_idx on mail_queue (next_attempt_at)
            where failed_at is null`.execute(db);
  await db.schema
    .createIndex('mail_queue_recipient_idx')
    .on('mail_queue')
    .column('recipient')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('mail_queue').execute();
  await db.schema.dropTable('vendor_follows').execute();
  await db.schema.dropTable('email_tokens').execute();
  await db.schema.dropTable('member_emails').execute();
}
