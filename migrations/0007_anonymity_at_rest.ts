import { sql, type Kysely } from 'kysely';

// Anonymity that survives a database dump and an account deletion (issue 9):
// - the pseudonym shown beside "Anonymous provider" is stored apart from the link material
//   (author_tag, author_box), so deleting an account can destroy the link and keep the name;
// - owner_hint goes: one byte per member was a per-author tag. A member's own anonymous posts
//   are listed in a sealed, padded ledger keyed by a hash of the member (anonymous_ledgers);
// - anonymous stories carry no voice key: each counts on its own, and "one anonymous story per
//   member and vendor" is checked against anonymous_voices, which references no story;
// - a story hidden by reports alone is held for review and keeps counting for its vendors;
// - notices about replies are derived when read (users.replies_seen_id), not stored per post;
// - a suspension keeps its end and reason sealed (`until` is left null), and every suspension
//   re-seals the whole table, so no row can be matched to the log entry that made it;
// - forum_state holds a keyed fingerprint of ANON_SECRET and the upgrade still to be done.
// Pseudonyms, ledgers, anonymous voices, re-sealed boxes and suspensions of rows written before
// this migration need ANON_SECRET: the app does them at its next start
// (server/accounts/anonymous-backfill.ts), then rebuilds the aggregates.
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['threads', 'replies']) {
    await sql`alter table ${sql.table(table)} drop constraint ${sql.ref(`${table}_author_check`)}`.execute(
      db,
    );
    await db.schema
      .alterTable(table)
      .addColumn('pseudonym', 'text')
      .addColumn('held_for_review', 'boolean', (col) => col.notNull().defaultTo(false))
      .execute();
    await sql`drop index if exists ${sql.ref(`${table}_owner_hint_idx`)}`.execute(db);
    await db.schema.alterTable(table).dropColumn('owner_hint').execute();
    // pseudonym may be null until the start-up backfill fills old rows.
    await sql`alter table ${sql.table(table)} add constraint ${sql.ref(`${table}_author_check`)} check (
      (anonymous and author_id is null and author_tag is not null and author_box is not null)
      or (not anonymous and author_tag is null and author_box is null and pseudonym is null))`.execute(
      db,
    );
  }
  await sql`update threads set held_for_review = true
            where hidden_at is not null and hidden_reason = 'reported by several members, pending review'`.execute(
    db,
  );
  await sql`update replies set held_for_review = true
            where hidden_at is not null and hidden_reason = 'reported by several members, pending review'`.execute(
    db,
  );

  await sql`alter table thread_vendors alter column voice_key drop not null`.execute(db);
  await sql`update thread_vendors tv set voice_key = null from threads t
            where t.id = tv.thread_id and t.anonymous`.execute(db);

  await db.schema
    .createTable('anonymous_ledgers')
    .addColumn('owner', 'text', (col) => col.primaryKey())
    .addColumn('sealed', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createTable('anonymous_voices')
    .addColumn('voice', 'text', (col) => col.primaryKey())
    .execute();

  await db.schema
    .alterTable('users')
    .addColumn('replies_seen_id', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('notices_read_at', 'timestamptz')
    // The moderators' decisions on their anonymous posts the member has seen, sealed.
    .addColumn('decisions_seen', 'text')
    .execute();
  // Replies written before the upgrade are not news.
  await sql`update users set replies_seen_id = coalesce((select max(id) from replies), 0),
              notices_read_at = now()`.execute(db);
  // Stored notices could link a member's anonymous posts; the ones that stay are derived or new.
  await sql`delete from notifications`.execute(db);

  await db.schema.alterTable('suspensions').addColumn('sealed', 'text').execute();
  await sql`alter table suspensions alter column until drop not null`.execute(db);

  await db.schema
    .createTable('forum_state')
    .addColumn('name', 'text', (col) => col.primaryKey())
    .addColumn('value', 'text', (col) => col.notNull())
    .execute();
  await sql`insert into forum_state (name, value) values ('pending-upgrade', 'anonymity-at-rest')`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('forum_state').execute();
  // Sealed suspensions cannot be opened here: they are dropped rather than left unreadable.
  await sql`delete from suspensions where until is null`.execute(db);
  await sql`alter table suspensions alter column until set not null`.execute(db);
  await db.schema.alterTable('suspensions').dropColumn('sealed').execute();
  await db.schema
    .alterTable('users')
    .dropColumn('replies_seen_id')
    .dropColumn('notices_read_at')
    .dropColumn('decisions_seen')
    .execute();
  await db.schema.dropTable('anonymous_voices').execute();
  await db.schema.dropTable('anonymous_ledgers').execute();
  await sql`update thread_vendors set voice_key = 'anonymous:' || thread_id where voice_key is null`.execute(
    db,
  );
  await sql`alter table thread_vendors alter column voice_key set not null`.execute(db);
  for (const table of ['threads', 'replies']) {
    await sql`alter table ${sql.table(table)} drop constraint ${sql.ref(`${table}_author_check`)}`.execute(
      db,
    );
    await db.schema
      .alterTable(table)
      .dropColumn('pseudonym')
      .dropColumn('held_for_review')
      .addColumn('owner_hint', 'smallint')
      .execute();
    await sql`alter table ${sql.table(table)} add constraint ${sql.ref(`${table}_author_check`)} check (
      (anonymous and author_id is null and author_tag is not null and author_box is not null)
      or (not anonymous and author_tag is null and author_box is null and owner_hint is null))`.execute(
      db,
    );
  }
}
