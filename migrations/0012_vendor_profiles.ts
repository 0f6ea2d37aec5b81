import { sql, type Kysely } from 'kysely';

// The program (issue 14): a vendor's profile, edited by moderators and the vendor's
// representatives at /vendors/:slug/edit.
// - vendor_profiles: website (http or https only), category, the partner program's name;
// - vendor_tiers: the program's tiers in order. tier_key is the tier's key as stories store it
//   (threads.tier_key, vendor_tier_stats.tier_key); match_key the same without one trailing
//   "partner" or "tier" word, what a story's tier is matched by, so one per vendor;
// - vendor_tier_promises: what a tier promises in a support area, true (promised) or false (not
//   promised); an area without a row is unknown;
// - vendor_profile_revisions: every change keeps the profile as it was before (JSON), who made
//   it and whether as the vendor's representative. Append-only, like the moderation log.
// A vendor's rows go with the vendor (a merge deletes the merged one).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('vendor_profiles')
    .addColumn('vendor_id', 'integer', (col) =>
      col.primaryKey().references('vendors.id').onDelete('cascade'),
    )
    .addColumn('website', 'text', (col) => col.check(sql`website ~* '^https?://'`))
    .addColumn('category', 'text', (col) =>
      col.check(
        sql`category in ('hardware', 'software', 'cloud', 'security', 'networking', 'services', 'other')`,
      ),
    )
    .addColumn('program_name', 'text')
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('vendor_tiers')
    .addColumn('vendor_id', 'integer', (col) =>
      col.notNull().references('vendors.id').onDelete('cascade'),
    )
    .addColumn('tier_key', 'text', (col) => col.notNull())
    .addColumn('match_key', 'text', (col) => col.notNull())
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('label', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('vendor_tiers_pkey', ['vendor_id', 'tier_key'])
    .addUniqueConstraint('vendor_tiers_match_key', ['vendor_id', 'match_key'])
    .addUniqueConstraint('vendor_tiers_position', ['vendor_id', 'position'])
    .execute();

  await db.schema
    .createTable('vendor_tier_promises')
    .addColumn('vendor_id', 'integer', (col) => col.notNull())
    .addColumn('tier_key', 'text', (col) => col.notNull())
    .addColumn('area', 'text', (col) => col.notNull())
    .addColumn('promised', 'boolean', (col) => col.notNull())
    .addPrimaryKeyConstraint('vendor_tier_promises_pkey', ['vendor_id', 'tier_key', 'area'])
    .addForeignKeyConstraint(
      'vendor_tier_promises_tier_fkey',
      ['vendor_id', 'tier_key'],
      'vendor_tiers',
      ['vendor_id', 'tier_key'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute();

  await db.schema
    .createTable('vendor_profile_revisions')
    .addColumn('id', 'integer', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('vendor_id', 'integer', (col) =>
      col.notNull().references('vendors.id').onDelete('cascade'),
    )
    .addColumn('editor', 'text', (col) => col.notNull())
    .addColumn('as_representative', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('profile', 'jsonb', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('vendor_profile_revisions_vendor_idx')
    .on('vendor_profile_revisions')
    .columns(['vendor_id', 'id'])
    .execute();
  // Revisions are history: no update; a delete only as the vendor's own goes (cascade).
  await sql`create function vendor_profile_revisions_append_only() returns trigger language plpgsql as $$
    begin raise exception 'profile revisions are append-only'; end $$`.execute(db);
  await sql`create trigger vendor_profile_revisions_append_only before update on vendor_profile_revisions
    for each statement execute function vendor_profile_revisions_append_only()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('vendor_profile_revisions').execute();
  await sql`drop function vendor_profile_revisions_append_only()`.execute(db);
  await db.schema.dropTable('vendor_tier_promises').execute();
  await db.schema.dropTable('vendor_tiers').execute();
  await db.schema.dropTable('vendor_profiles').execute();
}
