import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { TestClient, registerMember } from './helpers/client.js';
import { postReply, postStory } from './helpers/content.js';
import { PageStore } from '../server/plugins/page-store.js';

// Issue 10, finding 3: the page cache stays within its byte budget whatever the query strings,
// drops what expired, and tells a proxy in front what it may keep.

const BUDGET = 1_000_000;
const PUBLIC = /^public, max-age=0, s-maxage=10, stale-while-revalidate=\d+, stale-if-error=\d+$/;

let t: TestApp;
let member: TestClient;
let bigThread: number;

beforeAll(async () => {
  t = await createTestApp({ pageCacheMs: 10_000, pageCacheBytes: BUDGET });
  member = new TestClient(t.app);
  await registerMember(member, 'cache-writer');
  // Every "<" is sent as "&lt;": four 20,000-character posts make a page of about 320 kB.
  const angle = '<'.repeat(20_000);
  bigThread = await postStory(member, { body: angle });
  // Bodies differ by a character: the same reply again within a minute is a double submit.
  for (let i = 0; i < 3; i++) await postReply(member, bigThread, angle.slice(i));
}, 120_000);
afterAll(async () => t?.close());

const visit = (url: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url, headers });

describe('the page cache under a flood of query strings', () => {
  it('lets unknown query parameters bypass the cache, keeping nothing for them', async () => {
    const first = await visit(`/threads/${bigThread}`);
    expect(first.statusCode).toBe(200);
    expect(first.body.length).toBeGreaterThan(300_000);
    const before = t.app.pageCache.stats();
    for (let c = 1; c <= 60; c++) {
      const response = await visit(`/threads/${bigThread}?c=${c}`);
      expect(response.statusCode).toBe(200);
      expect(response.headers['x-page-cache']).toBeUndefined();
      expect(response.headers['cache-control']).not.toMatch(/public/);
    }
    // The same unknown parameter again is still not served from memory.
    expect((await visit(`/threads/${bigThread}?c=1`)).headers['x-page-cache']).toBeUndefined();
    // Nor is a known one next to an unknown one, or a known one given twice.
    expect(
      (await visit(`/threads/${bigThread}?page=1&utm_source=x`)).headers['x-page-cache'],
    ).toBeUndefined();
    expect(
      (await visit(`/threads/${bigThread}?page=1&page=1`)).headers['x-page-cache'],
    ).toBeUndefined();
    const after = t.app.pageCache.stats();
    expect(after.entries).toBe(before.entries);
    expect(after.bytes).toBe(before.bytes);
  });

  it('keeps within PAGE_CACHE_BYTES when known parameters vary, evicting the least recently used', async () => {
    // Each of these is a distinct key for the same big page: /threads/:id and /threads/:id/:slug,
    // with ?page=1, 01, 001 … (all page 1), so the flood is of cacheable 200s.
    const slug = /^\/threads\/\d+\/(.+)$/.exec(
      String((await visit(`/threads/${bigThread}/wrong-slug`)).headers.location),
    )![1];
    const paths = [`/threads/${bigThread}`, `/threads/${bigThread}/${slug}`];
    const pages = ['1', '01', '001', '0001', '00001', '000001'];
    const urls = paths.flatMap((path) => pages.map((page) => `${path}?page=${page}`));
    for (let round = 0; round < 2; round++) {
      for (const url of urls) {
        const response = await visit(url);
        expect(response.statusCode).toBe(200);
        const stats = t.app.pageCache.stats();
        expect(stats.maxBytes).toBe(BUDGET);
        expect(stats.bytes).toBeLessThanOrEqual(BUDGET);
      }
    }
    const stats = t.app.pageCache.stats();
    expect(stats.evictions).toBeGreaterThan(0);
    expect(stats.entries).toBeLessThanOrEqual(3); // three pages of ~320 kB fill 1 MB
    // The most recently used page is still there; the first one was evicted long ago.
    expect((await visit(urls.at(-1)!)).headers['x-page-cache']).toBe('hit');
    expect((await visit(urls[0]!)).headers['x-page-cache']).toBeUndefined();
  });

  it('shares one entry between the same parameters in another order', async () => {
    const before = t.app.pageCache.stats().entries;
    const first = await visit('/?sort=new&page=1');
    expect(first.statusCode).toBe(200);
    expect(first.headers['x-page-cache']).toBeUndefined();
    const again = await visit('/?page=1&sort=new');
    expect(again.headers['x-page-cache']).toBe('hit');
    expect(again.body).toBe(first.body);
    expect(t.app.pageCache.stats().entries).toBe(before + 1);
    // Search keeps its own parameters in the key too.
    await visit('/search?sentiment=bad&q=deal');
    expect((await visit('/search?q=deal&sentiment=bad')).headers['x-page-cache']).toBe('hit');
  });
});

describe('headers for a proxy in front', () => {
  it('marks a cookieless reader’s page public for PAGE_CACHE_MS, also when served from memory', async () => {
    const first = await visit('/vendors');
    expect(first.headers['cache-control']).toMatch(PUBLIC);
    expect(String(first.headers.vary)).toMatch(/cookie/i);
    expect(first.headers.etag).toMatch(/^"[^"]+"$/);
    const hit = await visit('/vendors');
    expect(hit.headers['x-page-cache']).toBe('hit');
    expect(hit.headers['cache-control']).toMatch(PUBLIC);
    expect(hit.headers.etag).toBe(first.headers.etag);
    const feed = await visit('/feed.atom');
    expect(feed.headers['cache-control']).toMatch(PUBLIC);
    expect(feed.headers.etag).toBeDefined();
  });

  it('tells a proxy never to keep what a member gets', async () => {
    for (const url of ['/', '/vendors', `/threads/${bigThread}`, '/feed.atom']) {
      const response = await member.get(url);
      expect(response.statusCode).toBe(200);
      expect(response.headers['cache-control']).toBe('private, no-store');
      expect(response.headers.etag).toBeUndefined();
      expect(response.headers['x-page-cache']).toBeUndefined();
    }
    const vote = await member.post(`/threads/${bigThread}/vote`, { value: 'none' });
    expect(vote.headers['cache-control']).toBe('private, no-store');
    // Any cookie counts, not only a valid session.
    const stranger = await visit('/vendors', { cookie: 'unrelated=1' });
    expect(stranger.headers['cache-control']).toBe('private, no-store');
  });

  it('never marks public a response that sets a cookie, an error, or a non-GET', async () => {
    const before = t.app.pageCache.stats().entries;
    const login = await visit('/login');
    expect(login.statusCode).toBe(200);
    expect(String(login.headers['set-cookie'])).toContain('_csrf_secret');
    expect(login.headers['cache-control']).toBe('private, no-store');
    expect(login.headers.etag).toBeUndefined();
    expect((await visit('/login')).headers['x-page-cache']).toBeUndefined();
    expect(t.app.pageCache.stats().entries).toBe(before);

    const missing = await visit('/vendors/no-such-vendor');
    expect(missing.statusCode).toBe(404);
    expect(String(missing.headers['cache-control'] ?? '')).not.toMatch(/public/);
    expect(missing.headers.etag).toBeUndefined();

    const post = await t.app.inject({ method: 'POST', url: `/threads/${bigThread}/vote` });
    expect(String(post.headers['cache-control'] ?? '')).not.toMatch(/public/);
    const head = await t.app.inject({ method: 'HEAD', url: '/vendors' });
    expect(String(head.headers['cache-control'] ?? '')).not.toMatch(/public/);
  });

  it('answers 304 to If-None-Match, from memory and after rendering', async () => {
    const page = await visit('/?sort=top');
    const etag = String(page.headers.etag);
    const fromMemory = await visit('/?sort=top', { 'if-none-match': etag });
    expect(fromMemory.statusCode).toBe(304);
    expect(fromMemory.body).toBe('');
    expect(fromMemory.headers.etag).toBe(etag);
    expect(fromMemory.headers['cache-control']).toMatch(PUBLIC);
    // A proxy may weaken the tag or send several.
    const listed = await visit('/?sort=top', { 'if-none-match': `"other", W/${etag}` });
    expect(listed.statusCode).toBe(304);
    expect((await visit('/?sort=top', { 'if-none-match': '"other"' })).statusCode).toBe(200);

    // Bypassing the cache (an unknown parameter) renders the page, and still answers 304.
    const bypass = await visit('/vendors?ref=mail');
    expect(bypass.headers['cache-control']).toBe('no-cache');
    const rendered = await visit('/vendors?ref=mail', {
      'if-none-match': String(bypass.headers.etag),
    });
    expect(rendered.statusCode).toBe(304);
    expect(rendered.body).toBe('');

    const feed = await visit('/feed.atom');
    const feed304 = await visit('/feed.atom', { 'if-none-match': String(feed.headers.etag) });
    expect(feed304.statusCode).toBe(304);

    // A member always gets the page itself.
    const forMember = await member.get('/?sort=top', { 'if-none-match': etag });
    expect(forMember.statusCode).toBe(200);
  });
});

describe('expiry', () => {
  it('drops pages past their time instead of keeping them', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    try {
      await visit('/vendors?sort=name');
      expect(t.app.pageCache.stats().entries).toBeGreaterThan(1);
      // Past freshness and the grace for one re-render, every page kept so far has expired.
      vi.setSystemTime(Date.now() + 60_000);
      await visit('/vendors?sort=reputation');
      expect(t.app.pageCache.stats().entries).toBe(1);
      expect((await visit('/vendors?sort=reputation')).headers['x-page-cache']).toBe('hit');
      expect((await visit('/vendors?sort=name')).headers['x-page-cache']).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('PageStore', () => {
  const page = (bytes: number, freshUntil: number) => ({
    contentType: 'text/html',
    body: Buffer.alloc(bytes, 'x'),
    etag: '"e"',
    storedAt: freshUntil - 1000,
    freshUntil,
    staleUntil: freshUntil + 500,
    refreshing: false,
  });

  it('counts its bytes, evicts the least recently used, and refuses a page above the budget', () => {
    const store = new PageStore({ maxBytes: 10_000, sweepEveryMs: 1000, now: () => 0 });
    store.set('a', page(4000, 1000));
    store.set('b', page(4000, 1000));
    store.get('a'); // a is now more recent than b
    store.set('c', page(4000, 1000));
    expect(store.get('b')).toBeUndefined();
    expect(store.get('a')).toBeDefined();
    expect(store.stats()).toMatchObject({ entries: 2, evictions: 1 });
    expect(store.stats().bytes).toBeGreaterThan(8000);
    expect(store.stats().bytes).toBeLessThanOrEqual(10_000);
    expect(store.set('huge', page(20_000, 1000))).toBe(false);
    expect(store.stats().entries).toBe(2);
    // Replacing a page counts it once.
    const bytes = store.stats().bytes;
    store.set('a', page(4000, 1000));
    expect(store.stats().bytes).toBe(bytes);
  });

  it('drops expired pages on the next read or write, so they cannot pile up', () => {
    let now = 0;
    const store = new PageStore({ maxBytes: 1_000_000, sweepEveryMs: 1000, now: () => now });
    for (let i = 0; i < 50; i++) store.set(`old-${i}`, page(1000, 1000));
    expect(store.stats().entries).toBe(50);
    now = 1499; // stale but within the grace period: still kept
    expect(store.get('old-0')).toBeDefined();
    now = 1500; // a page past its grace is never served, and dropped when read
    expect(store.get('old-1')).toBeUndefined();
    expect(store.stats().entries).toBe(49);
    now = 2500; // the others go with the next write once sweepEveryMs has passed
    store.set('new', page(1000, 3000));
    expect(store.stats().entries).toBe(1);
    expect(store.stats().bytes).toBeLessThan(2000);
    now = 10_000;
    store.sweep();
    expect(store.stats()).toMatchObject({ entries: 0, bytes: 0 });
  });

  it('keeps a page being rendered anew however old it gets, and drops it once that is done', () => {
    let now = 0;
    const store = new PageStore({ maxBytes: 1_000_000, sweepEveryMs: 1000, now: () => now });
    store.set('slow', page(1000, 1000));
    now = 1200; // stale: the request that renders it again marks it
    store.get('slow')!.refreshing = true;
    now = 60_000; // the render outlived freshness and grace many times over
    store.sweep();
    expect(store.get('slow')?.body.length).toBe(1000);
    store.get('slow')!.refreshing = false;
    expect(store.get('slow')).toBeUndefined();
  });
});

describe('one render per page at a time', () => {
  it('renders a page once when many readers ask for it at the same moment', async () => {
    // A key nobody asked for yet, rendered alone first to learn what one render costs.
    const single = t.app.database.queryCount();
    expect((await visit('/?sort=top&t=week')).statusCode).toBe(200);
    const oneRender = t.app.database.queryCount() - single;
    expect(oneRender).toBeGreaterThan(0);

    const before = t.app.database.queryCount();
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => visit('/?sort=top&t=month')),
    );
    expect(responses.map((response) => response.statusCode)).toEqual(Array(8).fill(200));
    expect(new Set(responses.map((response) => response.body)).size).toBe(1);
    expect(responses.filter((response) => response.headers['x-page-cache'] === 'hit')).toHaveLength(
      7,
    );
    expect(t.app.database.queryCount() - before).toBe(oneRender);
  });
});
