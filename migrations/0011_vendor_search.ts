import { sql, type Kysely } from 'kysely';

// Find a vendor from anywhere (issue 14): vendor_names.search_name holds each name and alias as
// search matches it — lower case, no accents, no punctuation, words kept apart — under a trigram
// index (pg_trgm, a contrib module of PostgreSQL that PGlite ships too), so that a search finds a
// vendor by any part of any of its names, and with a typo. The application writes the column, as
// it does the match key (unaccent() is no immutable function an index could use, and may not be
// installed); a trigger fills it in for an insert that leaves it out (the benchmark's seed), with
// SQL that agrees with the application on ASCII names. The prefix index of the directory's
// old "name starts with" filter goes: the filter now matches anywhere, through the new index.

/** vendorSearchKey of server/vendors/names.ts as it was when this migration was written. */
const searchKey = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\s\p{Pd}/_]+/gu, ' ')
    .replace(/[^\p{L}\p{N} ]/gu, '')
    .replace(/ {2,}/g, ' ')
    .trim();

/** The same in SQL, exactly alike for ASCII; other names keep their accents. */
const sqlSearchKey = (column: string) =>
  `trim(regexp_replace(regexp_replace(regexp_replace(lower(${column}),
     '[-/_[:space:]]+', ' ', 'g'), '[^[:alnum:] ]', '', 'g'), ' {2,}', ' ', 'g'))`;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db);
  await db.schema.alterTable('vendor_names').addColumn('search_name', 'text').execute();
  await sql`update vendor_names set search_name = ${sql.raw(sqlSearchKey('name'))}`.execute(db);
  await backfillNonAscii(db);
  await db.schema
    .alterTable('vendor_names')
    .alterColumn('search_name', (col) => col.setNotNull())
    .execute();

  await sql`create function vendor_names_search_name() returns trigger language plpgsql as $$
    begin
      if new.search_name is null then
        new.search_name := ${sql.raw(sqlSearchKey('new.name'))};
      end if;
      return new;
    end $$`.execute(db);
  await sql`create trigger vendor_names_search_name before insert on vendor_names
    for each row execute function vendor_names_search_name()`.execute(db);

  // Without the pending list of fast updates: names are added rarely, and a list that only
  // VACUUM empties (PGlite runs no autovacuum) is read through by every search, and makes the
  // planner prefer computing the similarity of every name to asking the index.
  await sql`create index vendor_names_search_idx on vendor_names
    using gin (search_name gin_trgm_ops) with (fastupdate = off)`.execute(db);
  await sql`drop index vendors_name_idx`.execute(db);
}

/** Names with a character past ASCII get the application's form: accents dropped, and the rest. */
async function backfillNonAscii(db: Kysely<any>) {
  const rows: Array<{ match_key: string; name: string }> = await db
    .selectFrom('vendor_names')
    .select(['match_key', 'name'])
    .where(sql<boolean>`name ~ '[^\\x01-\\x7f]'`)
    .execute();
  for (const row of rows) {
    await db
      .updateTable('vendor_names')
      .set({ search_name: searchKey(row.name) })
      .where('match_key', '=', row.match_key)
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`create index vendors_name_idx on vendors (lower(name) text_pattern_ops)`.execute(db);
  await sql`drop index vendor_names_search_idx`.execute(db);
  await sql`drop trigger vendor_names_search_name on vendor_names`.execute(db);
  await sql`drop function vendor_names_search_name()`.execute(db);
  await db.schema.alterTable('vendor_names').dropColumn('search_name').execute();
  // The extension stays: it may have been there before, and other databases' objects may use it.
}
