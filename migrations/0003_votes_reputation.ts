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
