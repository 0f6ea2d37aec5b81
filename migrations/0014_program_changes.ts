import { sql, type Kysely } from 'kysely';

// Program changes over time (issue 14): dated entries about a vendor's partner program (what
// changed, a source), recorded by a moderator or by the vendor's representative (marked as
// such), shown on the vendor page and as markers on its trend. And an index for the directory's
// filter by category.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('vendor_program_changes')
    .addColumn('id', 'integer', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('vendor_id', 'integer', (col) =>
      col.notNull().references('vendors.id').onDelete('cascade'),
    )
    .addColumn('changed_on', 'date', (col) => col.notNull())
    .addColumn('summary', 'text', (col) => col.notNull())
    .addColumn('source_url', 'text', (col) => col.check(sql`source_url ~* '^https?://'`))
    .addColumn('recorded_by', 'text', (col) => col.notNull())
    .addColumn('as_representative', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('vendor_program_changes_vendor_idx')
    .on('vendor_program_changes')
    .columns(['vendor_id', 'changed_on'])
    .execute();
  // The directory's category filter.
  await db.schema
    .createIndex('vendor_profiles_category_idx')
    .on('vendor_profiles')
    .columns(['category', 'vendor_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('vendor_profiles_category_idx').execute();
  await db.schema.dropTable('vendor_program_changes').execute();
}
