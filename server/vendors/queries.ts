import { responseColumns } from '../reputation/response-figures.js';
import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { preparedByShape } from '../db/prepared.js';
import type { DB, VendorCategory } from '../db/schema.js';
import { slugify, tidyName, vendorMatchKey, vendorSearchKey, withinOneTypo } from './names.js';

export interface VendorRef {
  id: number;
  name: string;
  slug: string;
}

/**
 * Finds each named vendor by name or alias, creating the ones not known yet, and returns them
 * in the order given. Run inside the transaction that tags the story: two of them naming the
 * same new vendor at once create it once (the second waits for the first and finds it), and
 * stories naming overlapping vendors in any order take their locks in one order, so they never
 * deadlock over them.
 */
export async function findOrCreateVendors(db: Kysely<DB>, names: string[]): Promise<VendorRef[]> {
  if (names.length === 0) return [];
  const wanted = names.map((name) => ({ name: tidyName(name), key: vendorMatchKey(name) }));
  const keys = [...new Set(wanted.map((vendor) => vendor.key))];
  await lockVendorKeys(db, keys);
  const known = new Map<string, VendorRef>();
  for (const row of await findVendorsByKeys(db, keys))
    known.set(row.match_key, { id: row.id, name: row.name, slug: row.slug });
  const vendors: VendorRef[] = [];
  for (const { name, key } of wanted) {
    let vendor = known.get(key);
    if (!vendor) known.set(key, (vendor = await createVendor(db, name, key)));
    vendors.push(vendor);
  }
  return vendors;
}

/** Advisory lock ids of vendor names; a namespace of their own (two-key form). */
const VENDOR_KEY_LOCKS = 0x76656e64; // "vend"

/**
 * Takes a transaction-scoped lock on each name key, in ascending order of lock id, so that two
 * transactions naming the same vendors wait for each other instead of deadlocking. Held until
 * commit: the second finds the vendor the first created.
 */
async function lockVendorKeys(db: Kysely<DB>, keys: string[]) {
  const ids = [
    ...new Set(keys.map((key) => createHash('sha1').update(key).digest().readInt32BE(0))),
  ].sort((a, b) => a - b);
  if (ids.length === 0) return;
  // A VALUES list is read in the order written.
  await sql`select pg_advisory_xact_lock(${VENDOR_KEY_LOCKS}, k)
              from (values ${sql.join(ids.map((id) => sql`(${id}::int)`))}) as v(k)`.execute(db);
}

function findVendorsByKeys(db: Kysely<DB>, keys: string[]) {
  return db
    .selectFrom('vendor_names')
    .innerJoin('vendors', 'vendors.id', 'vendor_names.vendor_id')
    .select(['vendor_names.match_key', 'vendors.id', 'vendors.name', 'vendors.slug'])
    .where('vendor_names.match_key', 'in', keys)
    .execute();
}

/**
 * Creates the vendor, or finds the one another transaction named by the same key meanwhile.
 * Idempotent without the key lock too: both inserts do nothing on conflict.
 */
async function createVendor(db: Kysely<DB>, name: string, key: string): Promise<VendorRef> {
  const vendor = await insertWithFreeSlug(db, name);
  const named = await db
    .insertInto('vendor_names')
    .values({ match_key: key, vendor_id: vendor.id, name, search_name: vendorSearchKey(name) })
    .onConflict((oc) => oc.column('match_key').doNothing())
    .returning('vendor_id')
    .executeTakeFirst();
  if (named) return vendor;
  // The key names a vendor already (an alias added meanwhile): use it, drop ours.
  await db.deleteFrom('vendors').where('id', '=', vendor.id).execute();
  const [existing] = await findVendorsByKeys(db, [key]);
  return { id: existing!.id, name: existing!.name, slug: existing!.slug };
}

/** Inserts the vendor under the first free slug; a slug taken meanwhile moves on to the next. */
async function insertWithFreeSlug(db: Kysely<DB>, name: string): Promise<VendorRef> {
  const base = slugify(name);
  for (let tries = 0; ; tries++) {
    const slug = await freeSlug(db, base, tries);
    const vendor = await db
      .insertInto('vendors')
      // To the hour: the first story may be anonymous, and the vendor's time must not date it.
      .values({ name, slug, created_at: sql<Date>`date_trunc('hour', now())` })
      .onConflict((oc) => oc.column('slug').doNothing())
      .returning(['id', 'name', 'slug'])
      .executeTakeFirst();
    if (vendor) return vendor;
    if (tries >= 10) throw new Error(`No free slug for the vendor "${name}"`);
  }
}

/** The first slug `base`, `base-2`, `base-3` … not taken, skipping `skip` free ones. */
async function freeSlug(db: Kysely<DB>, base: string, skip = 0): Promise<string> {
  const taken = await db
    .selectFrom('vendors')
    .select('slug')
    .where((eb) => eb.or([eb('slug', '=', base), eb('slug', 'like', `${base}-%`)]))
    .execute();
  const used = new Set(taken.map((row) => row.slug));
  const candidate = (n: number) => (n === 1 ? base : `${base}-${n}`);
  let n = 1;
  for (let skipped = 0; ; n++) {
    if (used.has(candidate(n))) continue;
    if (skipped++ === skip) break;
  }
  return candidate(n);
}

/** Makes `alias` another name of the vendor. Fails if the alias already names a vendor. */
export async function addVendorAlias(db: Kysely<DB>, vendorId: number, alias: string) {
  await lockVendorKeys(db, [vendorMatchKey(alias)]);
  const name = tidyName(alias);
  await db
    .insertInto('vendor_names')
    .values({
      match_key: vendorMatchKey(alias),
      vendor_id: vendorId,
      name,
      search_name: vendorSearchKey(name),
    })
    .execute();
}

export function findVendorBySlug(db: Kysely<DB>, slug: string) {
  return db
    .selectFrom('vendors')
    .select([
      'id',
      'name',
      'slug',
      'story_count',
      'created_at',
      'voices',
      'good',
      'mixed',
      'bad',
      'reputation',
    ])
    .where('slug', '=', slug)
    .executeTakeFirst();
}

/**
 * The vendor a search filter names: by its address (vendor pages link to /search?vendor=<slug>;
 * a merged vendor's old address counts), or by any of its names and aliases, matched as the
 * story form matches them. One statement.
 */
export function findVendorByNameOrSlug(db: Kysely<DB>, text: string) {
  return (
    db
      .selectFrom('vendors')
      .select(['id', 'name', 'slug'])
      .where((eb) =>
        eb.or([
          eb('slug', '=', text),
          eb(
            'id',
            'in',
            eb.selectFrom('vendor_redirects').select('vendor_id').where('old_slug', '=', text),
          ),
          eb(
            'id',
            'in',
            eb
              .selectFrom('vendor_names')
              .select('vendor_id')
              .where('match_key', '=', vendorMatchKey(text)),
          ),
        ]),
      )
      // An address wins over a name that happens to spell another vendor's address.
      .orderBy(sql`slug = ${text}`, 'desc')
      .limit(1)
      .executeTakeFirst()
  );
}

export interface VendorMatch {
  id: number;
  name: string;
  slug: string;
  story_count: number;
  /** The name or alias that matched best. */
  matched: string;
  /** pg_trgm's word similarity of the text to that name, 0 to 1. */
  score: number;
}

/**
 * Word similarity (pg_trgm: shared trigrams over those of the text and of the closest run of the
 * name) from which a name matches without more ado, pg_trgm's default: "globx" is 0.67 from
 * "globex hardware", "hooli cloud" 0.5 from "globex cloud".
 */
const ALIKE = 0.6;
/**
 * Word similarity from which the index offers a name as one typo away, checked then letter by
 * letter (withinOneTypo). A changed or swapped letter inside a short word leaves few trigrams in
 * common ("hoxli" and "hooli" share 3 of 9, 0.33; "golbex" and "globex" 0.27), so the index is
 * asked for less, and only for texts of TYPO_LENGTH or more: below, two shared trigrams are most
 * of the text, and the offers would be most names.
 */
const TYPO_SIMILARITY = 0.25;
const TYPO_LENGTH = 5;
/** Names ranked before the check, enough for the few shown after it. */
const CANDIDATES = 50;

/**
 * Vendors whose names or aliases hold the text anywhere, or nearly (one typo), best match first,
 * then most stories. The trigram index of vendor_names offers the names (its similarity operator
 * and, from three characters, LIKE), so the cost follows the names that match, not the number of
 * vendors: at 5,000 vendors, 0.1 ms for a word no name holds, 2.5 ms for one in 250 names.
 *
 * Two statements in the caller's transaction, whose settings hold to its end. The index reads
 * its threshold from a setting. And the planner, which takes pg_trgm's similarity for a cheap
 * function, would rather compute it for every name, and hash every vendor to join them, than ask
 * the two indexes (20 ms instead of 2.5 at 5,000 vendors): its other paths are switched off, and
 * the index paths switched on whatever the transaction set before. With the path so fixed, the
 * statement is planned once per connection (a generic plan), not for every text: planning it
 * cost more than running it. The settings then hold for the caller's later statements too.
 */
export async function findVendorsByText(
  trx: Transaction<DB>,
  text: string,
  limit: number,
): Promise<VendorMatch[]> {
  const key = vendorSearchKey(text);
  // One letter is in too many names to mean one vendor.
  if (key.length < 2) return [];
  const threshold = key.length >= TYPO_LENGTH ? TYPO_SIMILARITY : ALIKE;
  await sql`select set_config('pg_trgm.word_similarity_threshold', ${String(threshold)}, true),
                   set_config('enable_seqscan', 'off', true),
                   set_config('enable_hashjoin', 'off', true),
                   set_config('enable_mergejoin', 'off', true),
                   set_config('enable_bitmapscan', 'on', true),
                   set_config('enable_indexscan', 'on', true),
                   set_config('plan_cache_mode', 'force_generic_plan', true)`.execute(trx);
  const inside = key.length >= 3 ? sql`or n.search_name like ${insideName(key)}` : sql``;
  const { rows } = await sql<VendorMatch & { search_name: string }>`
    select v.id, v.name, v.slug, v.story_count, n.name as matched, n.search_name,
           word_similarity(${key}, n.search_name) as score
    from vendor_names n join vendors v on v.id = n.vendor_id
    where n.search_name %> ${key} ${inside}
    order by score desc, v.story_count desc, v.id
    limit ${CANDIDATES}`.execute(trx);
  const found = new Map<number, VendorMatch>();
  for (const { search_name, ...vendor } of rows) {
    if (found.size === limit) break;
    if (found.has(vendor.id) || !namesText(key, search_name, vendor.score)) continue;
    found.set(vendor.id, vendor);
  }
  return [...found.values()];
}

/** Whether a name (in its search form) matches the text: holds it, is alike, or one typo away. */
function namesText(key: string, searchName: string, score: number): boolean {
  if (score >= ALIKE) return true;
  if (searchName.replaceAll(' ', '').includes(key.replaceAll(' ', ''))) return true;
  return key.length >= TYPO_LENGTH && withinOneTypo(key, searchName);
}

export const VENDOR_SORTS = ['stories', 'reputation', 'name'] as const;
export type VendorSort = (typeof VENDOR_SORTS)[number];

export interface VendorListFilter {
  name?: string;
  sort: VendorSort;
  offset: number;
  limit: number;
  /** Only vendors whose profile gives this category. */
  category?: string;
}

/**
 * A page of the directory, one row more than asked to tell if another page follows; with how
 * each vendor answers (`represented`, `answers`, `answer_days` since `answersSince`). Each shape
 * (order, filters) is built once: building it took half the directory's own time.
 */
export function listVendors(db: Kysely<DB>, filter: VendorListFilter, answersSince: string) {
  const shape = {
    sort: filter.sort,
    byCategory: Boolean(filter.category),
    byName: Boolean(filter.name),
  };
  return directoryPage(db, shape, {
    category: (filter.category ?? '') as VendorCategory,
    namePattern: filter.name ? insideName(filter.name) : '',
    answersSince,
    offset: filter.offset,
    limit: filter.limit + 1,
  });
}

interface DirectoryShape {
  sort: VendorSort;
  byCategory: boolean;
  byName: boolean;
}

interface DirectoryValues {
  category: VendorCategory;
  namePattern: string;
  answersSince: string;
  offset: number;
  limit: number;
}

const directoryPage = preparedByShape((db, values: DirectoryValues, shape: DirectoryShape) =>
  db
    .selectFrom('vendors')
    .select(['id', 'name', 'slug', 'story_count', 'voices', 'good', 'mixed', 'bad', 'reputation'])
    .select((eb) => responseColumns(eb, values.answersSince))
    .$if(shape.byCategory, (query) =>
      query.where('id', 'in', (eb) =>
        eb
          .selectFrom('vendor_profiles')
          .select('vendor_id')
          .where('category', '=', values.category),
      ),
    )
    .$if(shape.byName, (query) =>
      query.where('id', 'in', (eb) =>
        eb
          .selectFrom('vendor_names')
          .select('vendor_id')
          .where('search_name', 'like', values.namePattern),
      ),
    )
    .$if(shape.sort === 'stories', (query) => query.orderBy('story_count', 'desc'))
    .$if(shape.sort === 'reputation', (query) => query.orderBy(sql`reputation desc nulls last`))
    .$if(shape.sort === 'name', (query) => query.orderBy(sql`lower(name)`))
    .orderBy('id')
    .offset(values.offset)
    .limit(values.limit),
);

/**
 * The LIKE pattern of names holding `text` anywhere, compared as search compares them (see
 * vendorSearchKey). Three characters or more are looked up in the trigram index; fewer give it no
 * trigram to look up, and the vendors' names are read through.
 */
function insideName(text: string): string {
  return `%${escapeLike(vendorSearchKey(text))}%`;
}

/** Names for the new-story form's suggestions: the most discussed vendors first. */
export function listVendorSuggestions(db: Kysely<DB>, limit = 200) {
  return db
    .selectFrom('vendors')
    .select('name')
    .orderBy('story_count', 'desc')
    .orderBy('name')
    .limit(limit)
    .execute();
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}
