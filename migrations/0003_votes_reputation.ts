import { sql, type Kysely } from 'kysely';

// Votes, and the per-vendor aggregates that reputation pages read instead of scanning stories.
// The aggregates count only each member's latest visible story per vendor (thread_vendors.counted).
export async function up(db: Kysely<any>): Promise<void> {
  for (const [table, post] of [
    ['thread_votes', 'threads'],
    ['reply_votes', 'replies'],
  ] as const) {
    await db.schema
      .createTable(table)
      .addColumn('post_id', 'integer', (col) =>
        col.notNull().references(`${post}.id`).onDelete('cascade'),
      )
      .addColumn('user_id', 'integer', (col) =>
        col.notNull().references('users.id').onDelete('cascade'),
      )
      .addColumn('value', 'smallint', (col) => col.notNull().check(sql`value in (-1, 1)`))
      .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addPrimaryKeyConstraint(`${table}_pkey`, ['post_id', 'user_id'])
      .execute();
    await db.schema
      .createIndex(`${table}_user_idx`)
      .on(table)
      .columns(['user_id', 'post_id'])
      .execute();
  }

  // A story's vendors, copied into the story's row (they change only when moderators merge
  // vendors), so that lists of stories read one table.
  await db.schema
    .alterTable('threads')
    .addColumn('vendor_tags', 'jsonb', (col) => col.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute();
  await sql`update threads t set vendor_tags = v.tags from (
      select tv.thread_id, jsonb_agg(jsonb_build_object('id', v.id, 'name', v.name, 'slug', v.slug) order by tv.position) as tags
      from thread_vendors tv join vendors v on v.id = tv.vendor_id group by tv.thread_id) v
    where v.thread_id = t.id`.execute(db);

  // Vendor pages list a vendor's stories in hot, top or new order: a copy of each story's score,
  // rank and visibility beside the vendor id makes that an index scan for any vendor size.
  await db.schema
    .alterTable('thread_vendors')
    .addColumn('visible', 'boolean', (col) => col.notNull().defaultTo(true))
    .addColumn('score', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('hot_rank', 'double precision', (col) => col.notNull().defaultTo(0))
    .execute();
  await sql`update thread_vendors tv set hot_rank = t.hot_rank, score = t.score, visible = (t.deleted_at is null)
            from threads t where t.id = tv.thread_id`.execute(db);
  for (const [name, order] of [
    ['hot', 'hot_rank desc, thread_id desc'],
    ['top', 'score desc, thread_id desc'],
    ['new', 'thread_id desc'],
  ]) {
    await sql
      .raw(
        `create index thread_vendors_${name}_idx on thread_vendors (vendor_id, ${order}) where visible`,
      )
      .execute(db);
  }

  await db.schema
    .alterTable('vendors')
    .addColumn('voices', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('good', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('mixed', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('bad', 'integer', (col) => col.notNull().defaultTo(0))
    // 0–100, null while too few stories count for an honest number.
    .addColumn('reputation', 'double precision')
    .execute();
  await sql`create index vendors_reputation_idx on vendors (reputation desc nulls last, id)`.execute(
    db,
  );
  await sql`create index vendors_name_order_idx on vendors (lower(name), id)`.execute(db);

  await db.schema
    .createTable('vendor_area_stats')
    .addColumn('vendor_id', 'integer', (col) =>
      col.notNull().references('vendors.id').onDelete('cascade'),
    )
    .addColumn('area', 'text', (col) => col.notNull())
    .addColumn('good', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('bad', 'integer', (col) => col.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('vendor_area_stats_pkey', ['vendor_id', 'area'])
    .execute();

  // tier_key '' stands for "no tier given".
  await db.schema
    .createTable('vendor_tier_stats')
    .addColumn('vendor_id', 'integer', (col) =>
      col.notNull().references('vendors.id').onDelete('cascade'),
    )
    .addColumn('tier_key', 'text', (col) => col.notNull())
    .addColumn('good', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('mixed', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('bad', 'integer', (col) => col.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('vendor_tier_stats_pkey', ['vendor_id', 'tier_key'])
    .execute();

  await db.schema
    .createTable('vendor_month_stats')
    .addColumn('vendor_id', 'integer', (col) =>
      col.notNull().references('vendors.id').onDelete('cascade'),
    )
    .addColumn('month', 'date', (col) => col.notNull())
    .addColumn('good', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('mixed', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('bad', 'integer', (col) => col.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('vendor_month_stats_pkey', ['vendor_id', 'month'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'vendor_month_stats',
    'vendor_tier_stats',
    'vendor_area_stats',
    'reply_votes',
    'thread_votes',
  ]) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema
    .alterTable('vendors')
    .dropColumn('voices')
    .dropColumn('good')
    .dropColumn('mixed')
    .dropColumn('bad')
    .dropColumn('reputation')
    .execute();
}
