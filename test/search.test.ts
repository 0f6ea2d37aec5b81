import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { TestClient, registerMember } from './helpers/client.js';
import { postReply, postStory } from './helpers/content.js';
import { updateRole } from '../server/accounts/queries.js';

const MARKER = 'zq-searcher-8812';
let t: TestApp;
let visitor: TestClient;
const ids: Record<string, number> = {};

const titles = async (url: string) => {
  const body = (await visitor.get(url)).body;
  return [...body.matchAll(/<h3 class="thread-title"><a href="[^"]+">([^<]+)<\/a>/g)].map(
    (m) => m[1],
  );
};

beforeAll(async () => {
  t = await createTestApp();
  visitor = new TestClient(t.app);
  const writer = new TestClient(t.app);
  await registerMember(writer, MARKER);
  const other = new TestClient(t.app);
  await registerMember(other, 'other-writer');
  ids.special = await postStory(writer, {
    title: 'Special bid refused three times',
    body: 'We asked for a special bid on a big storage deal. Refused again.',
    vendors: 'Globex',
    sentiment: 'bad',
    tier: 'Gold',
    area_discounts: 'bad',
  });
  ids.demo = await postStory(other, {
    title: 'Demo unit arrived quickly',
    body: 'The demo came in a week and the special team helped with the bid.',
    vendors: 'Initech',
    sentiment: 'good',
    area_demos: 'good',
  });
  ids.anonymous = await postStory(writer, {
    title: 'Channel conflict with the direct sales team',
    body: 'Their direct team took our deal registration. Storage again.',
    vendors: 'Globex',
    sentiment: 'bad',
    anonymous: true,
    area_dealreg: 'bad',
  });
  ids.reply = await postReply(
    other,
    ids.demo,
    'A reply about escalation paths and storage arrays.',
  );
  ids.hidden = await postStory(other, {
    title: 'Hidden storage rant',
    body: 'storage storage storage',
    vendors: 'Globex',
  });
  await t.app.db
    .updateTable('threads')
    .set({ hidden_at: new Date(), hidden_reason: 'test' })
    .where('id', '=', ids.hidden)
    .execute();
  for (let i = 0; i < 22; i++)
    await postStory(other, {
      title: `Paging story number ${i}`,
      body: 'pagination marker text',
      vendors: 'Pager Co',
    });
});
afterAll(async () => t.close());

describe('search', () => {
  it('finds words in stories and replies, stemmed, with highlighted snippets', async () => {
    const page = await visitor.get('/search?q=refusing');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Special bid refused three times');
    expect(page.body).toContain('<mark>Refused</mark>');
    const reply = await visitor.get('/search?q=escalation');
    expect(reply.body).toContain('Reply in');
    expect(reply.body).toContain(`href="/replies/${ids.reply}"`);
  });

  it('ranks the obvious best match first', async () => {
    expect((await titles('/search?q=special%20bid'))[0]).toBe('Special bid refused three times');
  });

  it('matches "quoted phrases" and leaves out -excluded words', async () => {
    expect(await titles('/search?q=%22special%20bid%22')).toEqual([
      'Special bid refused three times',
    ]);
    const excluded = await titles('/search?q=storage%20-deal');
    expect(excluded).not.toContain('Special bid refused three times');
    expect(excluded).toContain('Demo unit arrived quickly'); // through its reply
  });

  it('filters by vendor, sentiment, area and tier', async () => {
    expect(await titles('/search?q=storage&vendor=globex')).toEqual(
      expect.arrayContaining([
        'Special bid refused three times',
        'Channel conflict with the direct sales team',
      ]),
    );
    expect(await titles('/search?q=storage&vendor=globex')).not.toContain(
      'Demo unit arrived quickly',
    );
    expect(await titles('/search?sentiment=good&vendor=initech')).toEqual([
      'Demo unit arrived quickly',
    ]);
    expect(await titles('/search?area=discounts:bad')).toEqual(['Special bid refused three times']);
    expect(await titles('/search?area=dealreg:bad')).toEqual([
      'Channel conflict with the direct sales team',
    ]);
    expect(await titles('/search?tier=gold')).toEqual(['Special bid refused three times']);
    expect((await visitor.get('/search?area=discounts:meh')).statusCode).toBe(400);
    expect((await visitor.get('/search?sentiment=great')).statusCode).toBe(400);
    expect((await visitor.get('/search?vendor=no-such-vendor')).statusCode).toBe(404);
  });

  it('never shows hidden or deleted posts', async () => {
    expect(await titles('/search?q=rant')).toEqual([]);
    expect((await visitor.get('/search?q=storage')).body).not.toContain('Hidden storage rant');
  });

  it('keeps anonymous authors anonymous, for visitors and moderators', async () => {
    const mod = new TestClient(t.app);
    await registerMember(mod, 'search-mod');
    await updateRole(t.app.db, 'search-mod', 'moderator');
    for (const client of [visitor, mod]) {
      const page = await client.get('/search?q=channel%20conflict');
      expect(page.body).toContain('Channel conflict with the direct sales team');
      expect(page.body).toContain('Anonymous provider');
      expect(page.body).not.toContain(MARKER);
    }
  });

  it('paginates, keeping the query', async () => {
    const first = await visitor.get('/search?q=pagination');
    expect((await titles('/search?q=pagination')).length).toBe(20);
    expect(first.body).toContain('href="/search?q=pagination&amp;page=2"');
    expect((await titles('/search?q=pagination&page=2')).length).toBe(2);
    expect((await visitor.get('/search?q=pagination&page=3')).statusCode).toBe(404);
  });

  it('escapes what it shows, snippets included', async () => {
    const writer = new TestClient(t.app);
    await registerMember(writer, 'escaper');
    await postStory(writer, {
      title: 'Escaping check <b>bold</b>',
      body: 'xylophone <script>alert(1)</script> <img src=x onerror=alert(1)>',
    });
    const page = await visitor.get('/search?q=xylophone');
    expect(page.body).toContain('<mark>xylophone</mark>');
    expect(page.body).not.toContain('<script>alert');
    expect(page.body).not.toContain('<img src=x');
    expect(page.body).toContain('Escaping check &lt;b&gt;bold&lt;/b&gt;');
  });

  it('has a search box in the header and filter links on vendor pages', async () => {
    const home = await visitor.get('/');
    expect(home.body).toContain(
      '<form method="get" action="/search" class="header-search" role="search">',
    );
    const vendor = await visitor.get('/vendors/globex');
    expect(vendor.body).toContain('href="/search?vendor=globex&amp;area=discounts:bad"');
  });
});
