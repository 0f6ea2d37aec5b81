import { sql, type Kysely } from 'kysely';
import unhomoglyph from 'unhomoglyph';

// Names that look alike are one name (Unicode TR39 confusable skeletons): vendor names are
// re-keyed, and members get a look-alike key for their username, indexed, so that a registration
// can refuse "aIice" beside "alice". The key functions are copied here, frozen, from
// server/security/lookalike.ts as it was when this migration was written.

const skeleton = (text: string) => unhomoglyph(text.normalize('NFD')).normalize('NFD');
const bare = (text: string, drop: RegExp) =>
  text.normalize('NFKD').replace(/\p{M}/gu, '').replace(drop, '');

function lookalikeKey(text: string, drop: RegExp): string {
  let key = bare(text, drop);
  for (let round = 0; round < 2; round++) key = bare(skeleton(key).toLowerCase(), drop);
  return key.replace(/i/g, 'l');
}

const nameKey = (name: string) => lookalikeKey(name, /[^\p{L}\p{N}]/gu);
const usernameKey = (username: string) => lookalikeKey(username, /[^\p{L}\p{N}_-]/gu);
/** The vendor key before this migration. */
const plainKey = (name: string) =>
  name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');

interface VendorName {
  match_key: string;
  vendor_id: number;
  name: string;
}

/**
 * Stores every vendor name under `keyOf`. Where two vendors' names now share a key, the older
 * vendor keeps it; the other's row stays, under a key no name produces ("~" is never in one),
 * until a moderator merges the two. A vendor's own repeats of one key are kept once.
 */
async function rekeyVendorNames(db: Kysely<any>, keyOf: (name: string) => string) {
  const rows: VendorName[] = await db
    .selectFrom('vendor_names')
    .innerJoin('vendors', 'vendors.id', 'vendor_names.vendor_id')
    .select(['vendor_names.match_key', 'vendor_names.vendor_id', 'vendor_names.name'])
    .orderBy('vendor_names.vendor_id')
    .orderBy(sql`vendor_names.name = vendors.name`, 'desc')
    .orderBy('vendor_names.match_key')
    .execute();
  const owner = new Map<string, number>();
  const kept: VendorName[] = [];
  for (const row of rows) {
    const key = keyOf(row.name) || row.match_key;
    const holder = owner.get(key);
    if (holder === row.vendor_id) continue;
    const matchKey = holder === undefined ? key : `~${row.vendor_id}~${key}`;
    if (holder === undefined) owner.set(key, row.vendor_id);
    kept.push({ ...row, match_key: matchKey });
  }
  await db.deleteFrom('vendor_names').execute();
  for (let start = 0; start < kept.length; start += 500) {
    await db
      .insertInto('vendor_names')
      .values(kept.slice(start, start + 500))
      .execute();
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('username_key', 'text').execute();
  const users: Array<{ id: number; username: string }> = await db
    .selectFrom('users')
    .select(['id', 'username'])
    .execute();
  for (const user of users) {
    await db
      .updateTable('users')
      .set({ username_key: usernameKey(user.username) })
      .where('id', '=', user.id)
      .execute();
  }
  // Not unique: members who registered look-alike names before this migration keep them.
  await db.schema
    .createIndex('users_username_key_idx')
    .on('users')
    .column('username_key')
    .execute();

  await rekeyVendorNames(db, nameKey);
}

export async function down(db: Kysely<any>): Promise<void> {
  await rekeyVendorNames(db, plainKey);
  await db.schema.dropIndex('users_username_key_idx').execute();
  await db.schema.alterTable('users').dropColumn('username_key').execute();
}
