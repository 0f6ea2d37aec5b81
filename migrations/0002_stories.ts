import { sql, type Kysely } from 'kysely';

// Vendors, stories (threads), replies and revisions. Anonymous posts keep no member id: only
// keyed tags made with ANON_SECRET, which lives outside the database (see server/security/anonymity.ts).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('vendors')
    .addColumn('id', 'integer', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('slug', 'text', (col) => col.notNull().unique())
    .addColumn('story_count', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index vendors_name_idx on vendors (lower(name) text_pattern_ops)`.execute(db);
  await db.schema
    .createIndex('vendors_story_count_idx')
    .on('vendors')
    .columns(['story_count desc', 'id'])
    .execute();

  // Every spelling a vendor is known by (its name and its aliases), keyed case-, space- and
  // punctuation-insensitively.
  await db.schema
    .createTable('vendor_names')
    .addColumn('match_key', 'text', (col) => col.primaryKey())
    .addColumn('vendor_id', 'integer', (col) =>
      col.notNull().references('vendors.id').onDelete('cascade'),
    )
    .addColumn('name', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('vendor_names_vendor_idx')
    .on('vendor_names')
    .column('vendor_id')
    .execute();

  await db.schema
    .createTable('partner_tiers')
    .addColumn('tier_key', 'text', (col) => col.primaryKey())
    .addColumn('label', 'text', (col) => col.notNull())
    .addColumn('uses', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('threads')
    // By default, not always: an anonymous story's author tag needs its id before the insert.
    .addColumn('id', 'integer', (col) => col.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('slug', 'text', (col) => col.notNull())
    .addColumn('body_source', 'text', (col) => col.notNull())
    .addColumn('body_html', 'text', (col) => col.notNull())
    .addColumn('sentiment', 'text', (col) =>
      col.notNull().check(sql`sentiment in ('good', 'mixed', 'bad')`),
    )
    .addColumn('tier', 'text')
    .addColumn('tier_key', 'text')
    .$call(authorColumns)
    .addColumn('reply_count', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('score', 'integer', (col) => col.notNull().defaultTo(0))
    // Kept in step with score (server/votes/ranking.ts): "hot" is then an index scan.
    .addColumn('hot_rank', 'double precision', (col) => col.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('edited_at', 'timestamptz')
    .addColumn('deleted_at', 'timestamptz')
    .addCheckConstraint('threads_author_check', authorCheck())
    .execute();
  await sql`create index threads_listed_idx on threads (id desc) where deleted_at is null`.execute(
    db,
  );
  await sql`create index threads_author_idx on threads (author_id, id desc) where author_id is not null`.execute(
    db,
  );
  await sql`create index threads_owner_hint_idx on threads (owner_hint, id desc) where owner_hint is not null`.execute(
    db,
  );
  await sql`create index threads_recent_title_idx on threads (created_at, title)`.execute(db);
  await sql`create index threads_hot_idx on threads (hot_rank desc, id desc) where deleted_at is null`.execute(
    db,
  );
  await sql`create index threads_top_idx on threads (score desc, id desc) where deleted_at is null`.execute(
    db,
  );

  await db.schema
    .createTable('thread_vendors')
    .addColumn('thread_id', 'integer', (col) =>
      col.notNull().references('threads.id').onDelete('cascade'),
    )
    .addColumn('vendor_id', 'integer', (col) =>
      col.notNull().references('vendors.id').onDelete('cascade'),
    )
    .addColumn('position', 'smallint', (col) => col.notNull())
    // One voice per member per vendor: a keyed hash of vendor and member (anonymous stories too),
    // and whether this is the member's latest visible story about the vendor, the one counted.
    .addColumn('voice_key', 'text', (col) => col.notNull())
    .addColumn('counted', 'boolean', (col) => col.notNull().defaultTo(false))
    .addPrimaryKeyConstraint('thread_vendors_pkey', ['thread_id', 'vendor_id'])
    .execute();
  await sql`create index thread_vendors_vendor_idx on thread_vendors (vendor_id, thread_id desc)`.execute(
    db,
  );
  await sql`create index thread_vendors_voice_idx on thread_vendors (vendor_id, voice_key, thread_id desc)`.execute(
    db,
  );
  await sql`create unique index thread_vendors_one_voice_key on thread_vendors (vendor_id, voice_key) where counted`.execute(
    db,
  );

  await db.schema
    .createTable('thread_areas')
    .addColumn('thread_id', 'integer', (col) =>
      col.notNull().references('threads.id').onDelete('cascade'),
    )
    .addColumn('area', 'text', (col) => col.notNull())
    .addColumn('rating', 'text', (col) => col.notNull().check(sql`rating in ('good', 'bad')`))
    .addPrimaryKeyConstraint('thread_areas_pkey', ['thread_id', 'area'])
    .execute();
  await sql`create index thread_areas_area_idx on thread_areas (area, rating, thread_id desc)`.execute(
    db,
  );

  await db.schema
    .createTable('replies')
    .addColumn('id', 'integer', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('thread_id', 'integer', (col) =>
      col.notNull().references('threads.id').onDelete('cascade'),
    )
    .addColumn('body_source', 'text', (col) => col.notNull())
    .addColumn('body_html', 'text', (col) => col.notNull())
    .$call(authorColumns)
    .addColumn('score', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('edited_at', 'timestamptz')
    .addColumn('deleted_at', 'timestamptz')
    .addCheckConstraint('replies_author_check', authorCheck())
    .execute();
  await db.schema
    .createIndex('replies_thread_idx')
    .on('replies')
    .columns(['thread_id', 'id'])
    .execute();
  await sql`create index replies_author_idx on replies (author_id, id desc) where author_id is not null`.execute(
    db,
  );
  await sql`create index replies_owner_hint_idx on replies (owner_hint, id desc) where owner_hint is not null`.execute(
    db,
  );

  // Earlier versions of edited posts. No author column: a revision belongs to its post.
  await db.schema
    .createTable('revisions')
    .addColumn('id', 'integer', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('thread_id', 'integer', (col) => col.references('threads.id').onDelete('cascade'))
    .addColumn('reply_id', 'integer', (col) => col.references('replies.id').onDelete('cascade'))
    .addColumn('title', 'text')
    .addColumn('body_source', 'text', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull())
    .addCheckConstraint('revisions_post_check', sql`(thread_id is null) <> (reply_id is null)`)
    .execute();
  await db.schema.createIndex('revisions_thread_idx').on('revisions').column('thread_id').execute();
  await db.schema.createIndex('revisions_reply_idx').on('revisions').column('reply_id').execute();
}

/**
 * A post names its author either in the clear (author_id) or, when anonymous, through
 * author_tag (HMAC of thread and member: same within a thread, unlinkable across threads),
 * author_box (the member id sealed with a key from ANON_SECRET) and owner_hint (one byte of
 * a keyed hash, so the author's own account page can find candidates without a full scan).
 */
function authorColumns<T extends { addColumn: (...args: any[]) => T }>(table: T): T {
  return table
    .addColumn('anonymous', 'boolean', (col: any) => col.notNull().defaultTo(false))
    .addColumn('author_id', 'integer', (col: any) =>
      col.references('users.id').onDelete('set null'),
    )
    .addColumn('author_tag', 'text')
    .addColumn('author_box', 'text')
    .addColumn('owner_hint', 'smallint');
}

function authorCheck() {
  return sql`(anonymous and author_id is null and author_tag is not null and author_box is not null)
    or (not anonymous and author_tag is null and author_box is null and owner_hint is null)`;
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'revisions',
    'replies',
    'thread_areas',
    'thread_vendors',
    'threads',
    'partner_tiers',
    'vendor_names',
    'vendors',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
