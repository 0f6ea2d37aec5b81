import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Migrator, sql } from 'kysely';
import { createTestApp, type TestApp } from './helpers/app.js';
import { TestClient, registerMember } from './helpers/client.js';
import { postStory } from './helpers/content.js';
import { createTestDatabase } from './helpers/database.js';
import { openDatabase } from '../server/db/index.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { addVendorAlias, findVendorsByText } from '../server/vendors/queries.js';
import { vendorSearchKey, withinOneTypo } from '../server/vendors/names.js';
import { migrations } from '../migrations/index.js';

// Find a vendor from anywhere (issue 14): the header search lists the vendors whose names or
// aliases the words match — anywhere in the name, whatever the case, accents and punctuation,
// and with one typo — the directory filter matches inside names, and the search's vendor filter
// takes a name as well as an address. On PGlite and on PostgreSQL (DATABASE_URL) alike.

let t: TestApp;
let visitor: TestClient;

beforeAll(async () => {
  t = await createTestApp();
  visitor = new TestClient(t.app);
  const writer = new TestClient(t.app);
  await registerMember(writer, 'vendor-finder');
  const stories: Array<[vendors: string, title: string]> = [
    ['Globex Hardware', 'Storage deal registration ignored'],
    ['Globex Hardware', 'Special bid refused twice'],
    ['Globex Hardware', 'Demo unit never arrived'],
    ['Globex Software', 'Licence audit instead of support'],
    ['Hooli Cloud', 'Marketing funds paid on time'],
    ['Hewlett Packard Enterprise', 'Pre-sales engineer on every call'],
    ['Société Générale Cloud', 'Training vouchers withheld'],
    ['AT&T Business', 'Channel conflict with direct sales'],
    ['Initech', 'Nothing to do with the others'],
  ];
  for (const [vendors, title] of stories) await postStory(writer, { vendors, title });
  const hpe = await t.app.db
    .selectFrom('vendors')
    .select('id')
    .where('slug', '=', 'hewlett-packard-enterprise')
    .executeTakeFirstOrThrow();
  await addVendorAlias(t.app.db, hpe.id, 'HPE');
});
afterAll(async () => t.close());

/** The vendors the search page lists above the posts, as [name, address]. */
async function vendorsFound(words: string) {
  const page = await visitor.get(`/search?q=${encodeURIComponent(words)}`);
  expect(page.statusCode, words).toBe(200);
  const section = /<section aria-labelledby="vendor-matches-heading"[\s\S]*?<\/section>/.exec(
    page.body,
  );
  return [...(section?.[0] ?? '').matchAll(/<a href="\/vendors\/([^"]+)">([^<]+)<\/a>/g)].map(
    (m) => [m[2], m[1]],
  );
}

const namesFound = async (words: string) => (await vendorsFound(words)).map(([name]) => name);

/** The story titles a page lists (search results or a vendor's stories). */
const titles = (body: string) =>
  [...body.matchAll(/<h3 class="thread-title"><a href="[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]);

describe('the header search finds vendors', () => {
  it('by name, linking to the vendor and saying how many stories it has', async () => {
    const page = await visitor.get('/search?q=Globex%20Hardware');
    expect(await vendorsFound('Globex Hardware')).toEqual([['Globex Hardware', 'globex-hardware']]);
    expect(page.body).toMatch(/href="\/vendors\/globex-hardware">Globex Hardware<\/a> · 3 stories/);
  });

  it('by a fragment anywhere in a name, best match first, then most stories', async () => {
    expect(await namesFound('hooli')).toEqual(['Hooli Cloud']);
    expect(new Set(await namesFound('cloud'))).toEqual(
      new Set(['Hooli Cloud', 'Société Générale Cloud']),
    );
    expect(await namesFound('globex')).toEqual(['Globex Hardware', 'Globex Software']);
    expect(await namesFound('packard')).toEqual(['Hewlett Packard Enterprise']);
    expect(await namesFound('lobe')).toEqual(['Globex Hardware', 'Globex Software']);
  });

  it('by an alias, saying which name matched', async () => {
    expect(await namesFound('hpe')).toEqual(['Hewlett Packard Enterprise']);
    expect((await visitor.get('/search?q=HPE')).body).toContain('(also called HPE)');
  });

  it('whatever the case, accents and punctuation', async () => {
    expect(await namesFound('societe')).toEqual(['Société Générale Cloud']);
    expect(await namesFound('SOCIÉTÉ GÉNÉRALE')).toEqual(['Société Générale Cloud']);
    expect(await namesFound('att')).toEqual(['AT&amp;T Business']);
    expect(await namesFound('AT&T')).toEqual(['AT&amp;T Business']);
    expect(await namesFound('hewlett-packard')).toEqual(['Hewlett Packard Enterprise']);
    expect(await namesFound('h.p.e.')).toEqual(['Hewlett Packard Enterprise']);
  });

  it('with one typo', async () => {
    expect(await namesFound('globx')).toContain('Globex Hardware');
    expect(await namesFound('glibex')).toContain('Globex Hardware');
    expect(await namesFound('hooly')).toEqual(['Hooli Cloud']);
    expect(await namesFound('hoxli')).toEqual(['Hooli Cloud']);
    expect(await namesFound('golbex')).toContain('Globex Hardware');
    expect(await namesFound('globex hardwre')).toEqual(['Globex Hardware']);
    expect(await namesFound('sociteé')).toEqual(['Société Générale Cloud']);
    // Two typos, or a short word with one, are another name.
    expect(await namesFound('glubax')).toEqual([]);
    expect(await namesFound('hoxly')).toEqual([]);
    expect(await namesFound('initek')).toEqual(['Initech']);
  });

  it('and no vendor for words that name none, or on a later page', async () => {
    expect(await namesFound('refused')).toEqual([]);
    expect(await namesFound('zebra')).toEqual([]);
    expect(await namesFound('globex -hardware')).toEqual(['Globex Hardware', 'Globex Software']);
    const later = await visitor.get('/search?q=globex&page=2');
    expect(later.body).not.toContain('vendor-matches-heading');
  });

  it('even for words the full-text search finds too common, as "AT&T" is', async () => {
    const page = await visitor.get('/search?q=AT%26T');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('see the vendor above for their stories');
    expect((await visitor.get('/search?q=the')).statusCode).toBe(400);
  });

  it('shows the stories below the vendors, as before', async () => {
    const page = await visitor.get('/search?q=demo');
    expect(titles(page.body)).toEqual(['Demo unit never arrived']);
  });

  it('at a cost that does not depend on how many vendors match', async () => {
    const cost = async (words: string) => {
      const before = t.app.database.queryCount();
      expect((await visitor.get(`/search?q=${words}`)).statusCode).toBe(200);
      return t.app.database.queryCount() - before;
    };
    expect(await cost('initech')).toBe(await cost('cloud'));
    expect(await cost('zebra')).toBe(await cost('globex'));
  });

  it('through the trigram index, for a fragment and for a typo', async () => {
    const plan = await t.app.db.transaction().execute(async (trx) => {
      await sql`select set_config('enable_seqscan', 'off', true)`.execute(trx);
      const { rows } = await sql<{ 'QUERY PLAN': string }>`
        explain select vendor_id from vendor_names
        where search_name %> 'globx' or search_name like '%lobe%'`.execute(trx);
      return rows.map((row) => row['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('vendor_names_search_idx');
    expect(plan).not.toMatch(/Seq Scan/);
  });

  it('through the index even after a search walked the newest posts with bitmap scans off', async () => {
    // A search for a common word walks older posts with the planner's bitmap scans off, for the
    // rest of its transaction; the vendor lookup that follows must still ask its GIN index.
    const { found, plan } = await t.app.db.transaction().execute(async (trx) => {
      await sql`select set_config('enable_bitmapscan', 'off', true),
                       set_config('enable_indexscan', 'off', true)`.execute(trx);
      const found = await findVendorsByText(trx, 'globx', 5);
      const { rows } = await sql<{ 'QUERY PLAN': string }>`
        explain select vendor_id from vendor_names
        where search_name %> 'globx' or search_name like '%globx%'`.execute(trx);
      return { found, plan: rows.map((row) => row['QUERY PLAN']).join('\n') };
    });
    expect(found.map((vendor) => vendor.name)).toContain('Globex Hardware');
    expect(plan).toContain('vendor_names_search_idx');
  });
});

describe('the directory filter', () => {
  const listed = async (filter: string) => {
    const page = await visitor.get(`/vendors?q=${encodeURIComponent(filter)}`);
    expect(page.statusCode).toBe(200);
    return [...page.body.matchAll(/<td><a href="\/vendors\/[^"]+">([^<]+)<\/a><\/td>/g)].map(
      (m) => m[1],
    );
  };

  it('matches inside names and aliases, ignoring case, accents and punctuation', async () => {
    expect(new Set(await listed('cloud'))).toEqual(
      new Set(['Hooli Cloud', 'Société Générale Cloud']),
    );
    expect(await listed('ware')).toEqual(['Globex Hardware', 'Globex Software']);
    expect(await listed('GÉNÉRALE')).toEqual(['Société Générale Cloud']);
    expect(await listed('hpe')).toEqual(['Hewlett Packard Enterprise']);
    expect(await listed('at&t')).toEqual(['AT&amp;T Business']);
  });

  it('says so when nothing matches, and offers the search', async () => {
    const page = await visitor.get('/vendors?q=zebra');
    expect(page.body).toContain(`No vendor's name or alias contains "zebra".`);
    expect(page.body).toContain('href="/search?q=zebra"');
    expect(page.body).toContain('placeholder="Any part of a name, e.g. cloud"');
    expect(page.body).not.toContain('starts with');
  });
});

describe("the search's vendor filter", () => {
  it('takes a name or an alias, whatever the case, and shows the name', async () => {
    for (const vendor of ['Globex Hardware', 'globex hardware', 'GLOBEX-HARDWARE.']) {
      const page = await visitor.get(`/search?vendor=${encodeURIComponent(vendor)}`);
      expect(page.statusCode, vendor).toBe(200);
      expect(new Set(titles(page.body)), vendor).toEqual(
        new Set([
          'Storage deal registration ignored',
          'Special bid refused twice',
          'Demo unit never arrived',
        ]),
      );
      expect(page.body).toContain('value="Globex Hardware"');
    }
    const alias = await visitor.get('/search?vendor=hpe');
    expect(titles(alias.body)).toEqual(['Pre-sales engineer on every call']);
    const accents = await visitor.get('/search?vendor=societe%20generale%20cloud');
    expect(titles(accents.body)).toEqual(['Training vouchers withheld']);
  });

  it('still takes the address vendor pages link with', async () => {
    const page = await visitor.get('/search?vendor=globex-software&q=audit');
    expect(titles(page.body)).toEqual(['Licence audit instead of support']);
    expect(page.body).toContain('value="Globex Software"');
  });

  it('answers an unknown name with a message and the form kept', async () => {
    const page = await visitor.get('/search?vendor=Globex%20Hardwar&q=deal');
    expect(page.statusCode).toBe(404);
    expect(page.body).toContain('No vendor is called &quot;Globex Hardwar&quot;');
    expect(page.body).toContain('value="Globex Hardwar"');
    expect(page.body).toContain('value="deal"');
    expect(page.body).toContain('aria-invalid="true"');
    expect(titles(page.body)).toEqual([]);
  });

  it('suggests existing vendors, as the story form does', async () => {
    const search = await visitor.get('/search');
    expect(search.body).toContain('list="search-vendor-suggestions"');
    expect(search.body).toMatch(
      /<datalist id="search-vendor-suggestions">[\s\S]*<option value="Globex Hardware"><\/option>[\s\S]*<\/datalist>/,
    );
    const member = new TestClient(t.app);
    await registerMember(member, 'vendor-suggested');
    const form = await member.get('/threads/new');
    expect(form.body).toContain('list="vendor-suggestions"');
    expect(form.body).toMatch(
      /<datalist id="vendor-suggestions">[\s\S]*<option value="Hooli Cloud"><\/option>/,
    );
  });

  it('suggests a vendor a story just named, though the names are read once for many pages', async () => {
    const suggested = async () =>
      /<datalist id="search-vendor-suggestions">[\s\S]*?<\/datalist>/.exec(
        (await visitor.get('/search?q=deal')).body,
      )![0];
    expect(await suggested()).not.toContain('Umbrella Networks');
    const writer = new TestClient(t.app);
    await registerMember(writer, 'vendor-suggester');
    await postStory(writer, {
      vendors: 'Umbrella Networks',
      title: 'A vendor nobody named before',
    });
    expect(await suggested()).toContain('<option value="Umbrella Networks"></option>');
  });
});

describe('the search form of a name', () => {
  it('is one typo from a name when a letter is added, dropped, changed or swapped', () => {
    for (const typo of ['globx', 'globeex', 'glibex', 'golbex', 'hardwre', 'globex hardwar'])
      expect(withinOneTypo(typo, 'globex hardware'), typo).toBe(true);
    expect(withinOneTypo('hoxl', 'hooli cloud')).toBe(true); // the start of a word
    for (const far of ['glbx', 'golden', 'hardwer x', 'xglobex hardware y'])
      expect(withinOneTypo(far, 'globex hardware'), far).toBe(false);
  });

  it('is written with every name, and by the database alike for ASCII names', async () => {
    const rows = await t.app.db
      .selectFrom('vendor_names')
      .select(['name', 'search_name'])
      .execute();
    for (const row of rows) expect(row.search_name, row.name).toBe(vendorSearchKey(row.name));
    expect(vendorSearchKey(' Dell-EMC / H.P.E_x  AT&T ')).toBe('dell emc hpe x att');

    const vendor = await t.app.db
      .insertInto('vendors')
      .values({ name: 'Raw  Insert-Co. & Sons', slug: 'raw-insert' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const name = 'Raw  Insert-Co. & Sons';
    await sql`insert into vendor_names (match_key, vendor_id, name)
              values ('rawinsert', ${vendor.id}, ${name})`.execute(t.app.db);
    const stored = await t.app.db
      .selectFrom('vendor_names')
      .select('search_name')
      .where('match_key', '=', 'rawinsert')
      .executeTakeFirstOrThrow();
    expect(stored.search_name).toBe(vendorSearchKey(name));
  });

  it('is backfilled by migration 0011, accents and all', async () => {
    const testDb = await createTestDatabase();
    const database = await openDatabase({ databaseUrl: testDb.url, dataDir: '/nonexistent' });
    try {
      const before = Object.fromEntries(
        Object.entries(migrations).filter(([name]) => name < '0011'),
      );
      const { error } = await new Migrator({
        db: database.db,
        provider: { getMigrations: async () => before },
      }).migrateToLatest();
      expect(error).toBeUndefined();
      const names = ['Globex Hardware', 'Société Générale', 'AT&T / Dell-EMC', 'Straße № 5'];
      for (const [i, name] of names.entries()) {
        await sql`insert into vendors (name, slug) values (${name}, ${`v${i}`})`.execute(
          database.db,
        );
        await sql`insert into vendor_names (match_key, vendor_id, name)
                  select ${`k${i}`}, id, name from vendors where slug = ${`v${i}`}`.execute(
          database.db,
        );
      }

      await migrateToLatest(database.db);

      const rows = await database.db
        .selectFrom('vendor_names')
        .select(['name', 'search_name'])
        .execute();
      expect(rows).toHaveLength(names.length);
      for (const row of rows) expect(row.search_name, row.name).toBe(vendorSearchKey(row.name));
    } finally {
      await database.close();
      await testDb.drop();
    }
  });
});
