import { sql, type Kysely } from 'kysely';

// Promised versus delivered (issue 14): per vendor, partner tier and support area, the good
// ("delivered") and bad ("not delivered") ratings of the counted stories, kept on every write
// like vendor_area_stats. Filled here from the rows as they are.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('vendor_tier_area_stats')
    .addColumn('vendor_id', 'integer', (col) =>
      col.notNull().references('vendors.id').onDelete('cascade'),
    )
    .addColumn('tier_key', 'text', (col) => col.notNull())
    .addColumn('area', 'text', (col) => col.notNull())
    .addColumn('good', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('bad', 'integer', (col) => col.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('vendor_tier_area_stats_pkey', ['vendor_id', 'tier_key', 'area'])
    .execute();
  await sql`insert into vendor_tier_area_stats (vendor_id, tier_key, area, good, bad)
            select tv.vendor_id, t.tier_key, a.area,
                   count(*) filter (where a.rating = 'good')::int,
                   count(*) filter (where a.rating = 'bad')::int
            from thread_vendors tv
            join threads t on t.id = tv.thread_id
            join thread_areas a on a.thread_id = tv.thread_id
            where tv.counted and t.tier_key is not null
            group by tv.vendor_id, t.tier_key, a.area`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('vendor_tier_area_stats').execute();
}
