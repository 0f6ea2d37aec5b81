import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { slugify, tidyName, vendorMatchKey } from './names.js';

export interface VendorRef {
  id: number;
  name: string;
  slug: string;
}

/**
 * Finds each named vendor by name or alias, creating the ones not known yet, and returns them
 * in the order given. Run inside the transaction that tags the story.
 */
export async function findOrCreateVendors(db: Kysely<DB>, names: string[]): Promise<VendorRef[]> {
  const vendors: VendorRef[] = [];
  for (const name of names) {
    const key = vendorMatchKey(name);
    const known = await findVendorByKey(db, key);
    vendors.push(known ?? (await createVendor(db, tidyName(name), key)));
  }
  return vendors;
}

function findVendorByKey(db: Kysely<DB>, key: string) {
  return db
    .selectFrom('vendor_names')
    .innerJoin('vendors', 'vendors.id', 'vendor_names.vendor_id')
    .select(['vendors.id', 'vendors.name', 'vendors.slug'])
    .where('vendor_names.match_key', '=', key)
    .executeTakeFirst();
}

async function createVendor(db: Kysely<DB>, name: string, key: string): Promise<VendorRef> {
  const slug = await freeSlug(db, slugify(name));
  const vendor = await db
    .insertInto('vendors')
    // To the hour: the first story may be anonymous, and the vendor's time must not date it.
    .values({ name, slug, created_at: sql<Date>`date_trunc('hour', now())` })
    .returning(['id', 'name', 'slug'])
    .executeTakeFirstOrThrow();
  await db
    .insertInto('vendor_names')
    .values({ match_key: key, vendor_id: vendor.id, name })
    .execute();
  return vendor;
}

async function freeSlug(db: Kysely<DB>, base: string): Promise<string> {
  const taken = await db
    .selectFrom('vendors')
    .select('slug')
    .where((eb) => eb.or([eb('slug', '=', base), eb('slug', 'like', `${base}-%`)]))
    .execute();
  const used = new Set(taken.map((row) => row.slug));
  if (!used.has(base)) return base;
  let n = 2;
  while (used.has(`${base}-${n}`)) n++;
  return `${base}-${n}`;
}

/** Makes `alias` another name of the vendor. Fails if the alias already names a vendor. */
export async function addVendorAlias(db: Kysely<DB>, vendorId: number, alias: string) {
  await db
    .insertInto('vendor_names')
    .values({ match_key: vendorMatchKey(alias), vendor_id: vendorId, name: tidyName(alias) })
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

export const VENDOR_SORTS = ['stories', 'reputation', 'name'] as const;
export type VendorSort = (typeof VENDOR_SORTS)[number];

export interface VendorListFilter {
  name?: string;
  sort: VendorSort;
  offset: number;
  limit: number;
}

/** A page of the directory, one row more than asked to tell if another page follows. */
export function listVendors(db: Kysely<DB>, filter: VendorListFilter) {
  return db
    .selectFrom('vendors')
    .select(['id', 'name', 'slug', 'story_count', 'voices', 'reputation'])
    .$if(Boolean(filter.name), (query) =>
      query.where(sql<string>`lower(name)`, 'like', `${escapeLike(filter.name!.toLowerCase())}%`),
    )
    .$if(filter.sort === 'stories', (query) => query.orderBy('story_count', 'desc'))
    .$if(filter.sort === 'reputation', (query) => query.orderBy(sql`reputation desc nulls last`))
    .$if(filter.sort === 'name', (query) => query.orderBy(sql`lower(name)`))
    .orderBy('id')
    .offset(filter.offset)
    .limit(filter.limit + 1)
    .execute();
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

/** Adds `delta` to the story counts of vendors (a story was posted, deleted or restored). */
export async function adjustStoryCounts(db: Kysely<DB>, vendorIds: number[], delta: number) {
  if (vendorIds.length === 0) return;
  await db
    .updateTable('vendors')
    .set((eb) => ({ story_count: eb('story_count', '+', delta) }))
    .where('id', 'in', vendorIds)
    .execute();
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}
