import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Migrator, sql } from 'kysely';
import { createTestApp, type TestApp } from './helpers/app.js';
import { TestClient, registerMember } from './helpers/client.js';
import { postStory } from './helpers/content.js';
import { findHiddenCharacter, skeleton, usernameKey } from '../server/security/lookalike.js';
import { vendorMatchKey } from '../server/vendors/names.js';
import { migrations } from '../migrations/index.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { openDatabase } from '../server/db/index.js';
import { createTestDatabase } from './helpers/database.js';

// Issue 9, finding 11: names that look alike are one name; invisible and direction-changing
// characters are refused in names.

const PASSWORD = 'correct horse battery';
const CYRILLIC_DELL = 'D\u0435ll'; // Cyrillic small ie
const CYRILLIC_ALICE = '\u0430lice'; // Cyrillic small a

/** Bidi controls and invisible characters that must never be part of a name. */
const HIDDEN: Array<[string, string]> = [
  ['LRE', '\u202a'],
  ['RLE', '\u202b'],
  ['PDF', '\u202c'],
  ['LRO', '\u202d'],
  ['RLO', '\u202e'],
  ['LRI', '\u2066'],
  ['RLI', '\u2067'],
  ['FSI', '\u2068'],
  ['PDI', '\u2069'],
  ['LRM', '\u200e'],
  ['RLM', '\u200f'],
  ['ALM', '\u061c'],
  ['zero-width space', '\u200b'],
  ['zero-width non-joiner', '\u200c'],
  ['zero-width joiner', '\u200d'],
  ['word joiner', '\u2060'],
  ['byte order mark', '\ufeff'],
  ['soft hyphen', '\u00ad'],
  ['combining grapheme joiner', '\u034f'],
  ['variation selector 16', '\ufe0f'],
  ['variation selector 17', '\u{e0100}'],
  ['tag letter', '\u{e0041}'],
  ['Mongolian vowel separator', '\u180e'],
  ['Hangul filler', '\u3164'],
];

let t: TestApp;
let writer: TestClient;
beforeAll(async () => {
  t = await createTestApp();
  writer = new TestClient(t.app);
  await registerMember(writer, 'lookalike-writer');
});
afterAll(async () => t.close());

describe('the keys names are matched by', () => {
  it('computes the TR39 skeleton', () => {
    expect(skeleton(CYRILLIC_DELL)).toBe('Dell');
    expect(skeleton('aIice')).toBe('alice');
    expect(skeleton('\u041d\u0420')).toBe('HP'); // Cyrillic EN, ER
    expect(skeleton('m')).toBe('rn');
  });

  it('makes look-alike, case, accent, width and punctuation variants of a vendor one key', () => {
    const same = (names: string[]) =>
      expect(new Set(names.map(vendorMatchKey)).size, names.join(' | ')).toBe(1);
    same(['Dell', 'dell', ' DELL ', 'dell.', CYRILLIC_DELL, '\uff24\uff45\uff4c\uff4c']);
    same(['IBM', 'ibm', 'lBM', '1BM', '\u0399\u0392\u039c']); // Greek capitals
    same(['Microsoft', 'microsoft', 'rnicrosoft', '\u041cicrosoft']);
    same(['HP', 'hp', '\u041d\u0420']);
    same(['Nestlé', 'Nestle', 'NESTLÉ']);
    same(['Hewlett Packard Enterprise', 'hewlett-packard enterprise']);
  });

  it('keeps different vendors apart, non-Latin ones included', () => {
    const keys = ['Dell', 'Dell Technologies', 'Яндекс', 'Лаборатория Касперского', '東芝', 'HPE'];
    expect(new Set(keys.map(vendorMatchKey)).size).toBe(keys.length);
    for (const name of keys) expect(vendorMatchKey(name)).not.toBe('');
  });

  it('makes look-alike usernames one key, but keeps _ and - apart', () => {
    expect(usernameKey('aIice')).toBe(usernameKey('alice'));
    expect(usernameKey('ALICE')).toBe(usernameKey('alice'));
    expect(usernameKey(CYRILLIC_ALICE)).toBe(usernameKey('alice'));
    expect(usernameKey('bob_smith')).not.toBe(usernameKey('bob-smith'));
    expect(usernameKey('bob_smith')).not.toBe(usernameKey('bobsmith'));
    expect(usernameKey('юлия')).not.toBe(usernameKey('julia'));
  });

  it.each(HIDDEN)('finds the %s', (_name, char) => {
    expect(findHiddenCharacter(`ab${char}c`)).toMatch(/^U\+[0-9A-F]{4,5}$/);
  });

  it('finds nothing hidden in ordinary names of any script', () => {
    for (const name of ['Dell', 'Nestlé', 'Яндекс', 'بيت', 'שלום', '東芝', 'Dell 👍🏽', 'AT&T'])
      expect(findHiddenCharacter(name), name).toBeNull();
  });
});

async function postFor(vendors: string, title = `About ${vendors}`) {
  await writer.get('/threads/new');
  return writer.post('/threads', {
    title,
    body: 'A story about the partner program, long enough.',
    vendors,
    sentiment: 'mixed',
    action: 'post',
  });
}

async function vendorsOf(threadId: number) {
  return t.app.db
    .selectFrom('thread_vendors')
    .innerJoin('vendors', 'vendors.id', 'thread_vendors.vendor_id')
    .select(['vendors.id', 'vendors.name', 'vendors.slug'])
    .where('thread_vendors.thread_id', '=', threadId)
    .execute();
}

describe('vendors', () => {
  it('tags a story about "Dеll" (Cyrillic е) with the existing Dell', async () => {
    const first = await postStory(writer, { vendors: 'Dell' });
    const [dell] = await vendorsOf(first);
    for (const lookalike of [CYRILLIC_DELL, 'DELL', '\uff24\uff45\uff4c\uff4c', 'De11']) {
      const id = await postStory(writer, { vendors: lookalike });
      expect(await vendorsOf(id), lookalike).toEqual([dell]);
    }
    const dells = await t.app.db
      .selectFrom('vendors')
      .select('name')
      .where(sql<string>`lower(name)`, 'like', 'd%ll')
      .execute();
    expect(dells).toEqual([{ name: 'Dell' }]);
    const directory = await new TestClient(t.app).get('/vendors?sort=name');
    expect(directory.body.match(/>Dell</g)).toHaveLength(1);
    expect(directory.body).not.toContain(CYRILLIC_DELL);
  });

  it('stores a new vendor name in NFKC form', async () => {
    const id = await postStory(writer, { vendors: '\uff2e\uff45\uff54\uff21\uff50\uff50' });
    expect((await vendorsOf(id)).map((v) => v.name)).toEqual(['NetApp']);
  });

  it('still creates a wholly Cyrillic vendor that looks like no other', async () => {
    const id = await postStory(writer, { vendors: 'Яндекс' });
    const [vendor] = await vendorsOf(id);
    expect(vendor!.name).toBe('Яндекс');
    const page = await new TestClient(t.app).get(`/vendors/${vendor!.slug}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Яндекс');
  });

  it.each(HIDDEN)(
    'refuses a vendor name with a %s: 400, a clear message, the input kept',
    async (_name, char) => {
      const title = `Hidden character story ${char.codePointAt(0)!.toString(16)}`;
      const response = await postFor(`Acme, Del${char}l`, title);
      expect(response.statusCode).toBe(400);
      expect(response.body).toMatch(
        /invisible character or text-direction control \(U\+[0-9A-F]+\)/,
      );
      expect(response.body).toContain('id="vendors-error"');
      expect(response.body).toContain(`value="${title}"`);
      expect(response.body).toContain(`Del${char}l`);
      const stored = await t.app.db
        .selectFrom('vendor_names')
        .select('name')
        .where('name', 'like', `%${char}%`)
        .execute();
      expect(stored).toEqual([]);
    },
  );
});

describe('usernames', () => {
  beforeAll(async () => {
    await registerMember(new TestClient(t.app), 'alice', PASSWORD);
  });

  it.each([
    ['aIice', 'capital I for l'],
    [CYRILLIC_ALICE, 'Cyrillic а'],
    ['a1ice', 'digit 1 for l'],
    ['ALlCE', 'case and l for I'],
  ])('refuses %j (%s) beside alice: 409, a clear message, the input kept', async (username) => {
    const response = await new TestClient(t.app).submit('/register', '/register', {
      username,
      password: PASSWORD,
    });
    expect(response.statusCode).toBe(409);
    expect(response.body).toContain('looks too much like');
    expect(response.body).toContain('id="username-error"');
    expect(response.body).toContain(`value="${username}"`);
    expect(response.body).not.toContain(PASSWORD);
    const users = await t.app.db.selectFrom('users').select('username').execute();
    expect(users.map((u) => u.username)).not.toContain(username);
  });

  it.each(HIDDEN)(
    'refuses a username with a %s: 400, a clear message, the input kept',
    async (_name, char) => {
      const username = `mal${char}lory`;
      const response = await new TestClient(t.app).submit('/register', '/register', {
        username,
        password: PASSWORD,
      });
      expect(response.statusCode).toBe(400);
      expect(response.body).toMatch(
        /invisible character or text-direction control \(U\+[0-9A-F]+\)/,
      );
      expect(response.body).toContain('id="username-error"');
      expect(response.body).toContain(`value="${username}"`);
    },
  );

  it('registers a wholly Cyrillic username, refuses its look-alikes, and logs it in', async () => {
    const client = new TestClient(t.app);
    await registerMember(client, 'Юлия', PASSWORD);
    const profile = await new TestClient(t.app).get(`/users/${encodeURIComponent('Юлия')}`);
    expect(profile.statusCode).toBe(200);
    expect(profile.body).toContain('Юлия');
    const again = await new TestClient(t.app).submit('/register', '/register', {
      username: 'юлия',
      password: PASSWORD,
    });
    expect(again.statusCode).toBe(409);
    const login = await new TestClient(t.app).submit('/login', '/login', {
      username: 'Юлия',
      password: PASSWORD,
    });
    expect(login.statusCode).toBe(303);
  });

  it('stores a fullwidth username in NFKC form and logs it in either way', async () => {
    const client = new TestClient(t.app);
    await registerMember(client, '\uff42\uff4f\uff42\uff42\uff59', PASSWORD);
    const users = await t.app.db.selectFrom('users').select('username').execute();
    expect(users.map((u) => u.username)).toContain('bobby');
    for (const username of ['bobby', '\uff42\uff4f\uff42\uff42\uff59']) {
      const login = await new TestClient(t.app).submit('/login', '/login', {
        username,
        password: PASSWORD,
      });
      expect(login.statusCode, username).toBe(303);
    }
  });

  it('still registers names that merely share letters', async () => {
    for (const username of ['alice_b', 'alicia', 'al-ice']) {
      await registerMember(new TestClient(t.app), username, PASSWORD);
      const profile = await new TestClient(t.app).get(`/users/${username}`);
      expect(profile.statusCode, username).toBe(200);
      expect(profile.body, username).toContain(`<h1>${username}</h1>`);
    }
  });
});

describe('migration 0008 on a database with names from before', () => {
  it('re-keys vendor names and usernames; look-alike vendors keep their rows apart', async () => {
    const testDb = await createTestDatabase();
    const database = await openDatabase({ databaseUrl: testDb.url, dataDir: '/nonexistent' });
    try {
      const before = Object.fromEntries(
        Object.entries(migrations).filter(([name]) => name < '0008'),
      );
      const { error } = await new Migrator({
        db: database.db,
        provider: { getMigrations: async () => before },
      }).migrateToLatest();
      expect(error).toBeUndefined();
      // As the old code stored them: case- and punctuation-insensitive keys only.
      const db = database.db;
      const vendors = await db
        .insertInto('vendors')
        .values([
          { name: 'Microsoft', slug: 'microsoft' },
          { name: 'Dell', slug: 'dell' },
          { name: CYRILLIC_DELL, slug: 'd-ll' },
        ])
        .returning(['id', 'name'])
        .execute();
      const id = (name: string) => vendors.find((v) => v.name === name)!.id;
      await db
        .insertInto('vendor_names')
        .values([
          { match_key: 'microsoft', vendor_id: id('Microsoft'), name: 'Microsoft' },
          { match_key: 'msft', vendor_id: id('Microsoft'), name: 'MSFT' },
          { match_key: 'dell', vendor_id: id('Dell'), name: 'Dell' },
          { match_key: 'dеll', vendor_id: id(CYRILLIC_DELL), name: CYRILLIC_DELL },
        ])
        .execute();
      await sql`insert into users (username, password_hash) values ('alice', 'x'), ('aIice', 'x')`.execute(
        db,
      );

      await migrateToLatest(database.db);

      const names = await db
        .selectFrom('vendor_names')
        .select(['match_key', 'vendor_id', 'name'])
        .orderBy('name')
        .execute();
      const keyOf = (name: string) => names.find((row) => row.name === name)!;
      expect(keyOf('Microsoft').match_key).toBe(vendorMatchKey('Microsoft'));
      expect(keyOf('MSFT').match_key).toBe(vendorMatchKey('MSFT'));
      expect(keyOf('Dell')).toEqual({
        match_key: vendorMatchKey('Dell'),
        vendor_id: id('Dell'),
        name: 'Dell',
      });
      // The later look-alike vendor stays, under a key no name can produce, for a moderator to merge.
      expect(keyOf(CYRILLIC_DELL).vendor_id).toBe(id(CYRILLIC_DELL));
      expect(keyOf(CYRILLIC_DELL).match_key).not.toBe(vendorMatchKey('Dell'));
      expect(keyOf(CYRILLIC_DELL).match_key).toMatch(/[^\p{L}\p{N}]/u);

      const users = await sql<{
        username: string;
        username_key: string;
      }>`select username, username_key from users order by username`.execute(db);
      expect(users.rows).toEqual([
        { username: 'aIice', username_key: usernameKey('aIice') },
        { username: 'alice', username_key: usernameKey('alice') },
      ]);
    } finally {
      await database.close();
      await testDb.drop();
    }
  });
});
