import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SearchBusyError, SearchShare, searchShareOf } from '../server/search/share.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { TestClient, registerMember } from './helpers/client.js';
import { postStory } from './helpers/content.js';

// Issue 10, finding 4: search must not starve the forum. Each test searches from an address of
// its own, so the per-address search limit of one test does not spill into another.
const SEARCH_LIMIT = 6;
const QUEUE = 2;
let t: TestApp;
let address = 0;
const nextAddress = () => `10.0.4.${++address}`;

const search = (url: string, remoteAddress = nextAddress()) =>
  t.app.inject({ method: 'GET', url, remoteAddress });

beforeAll(async () => {
  t = await createTestApp({
    search: { rateLimit: SEARCH_LIMIT, timeoutMs: 60_000, concurrency: 2, queue: QUEUE },
  });
  const writer = new TestClient(t.app);
  await registerMember(writer, 'resilient-searcher');
  await postStory(writer, {
    title: 'Storage deal lost to direct sales',
    body: 'Our storage deal went direct.',
    vendors: 'Globex',
  });
  // 1,001 matches of one word: more than the RANKED (200) a search ranks and shows.
  await sql`
    insert into threads (title, slug, body_source, body_html, sentiment, author_id)
    select 'Abundant story ' || i, 'abundant-story-' || i, 'abundant words, case ' || i,
           '<p>abundant words</p>', 'mixed', (select id from users where username = 'resilient-searcher')
    from generate_series(1, 1001) i`.execute(t.app.db);
});
afterAll(async () => t?.close());

const formValue = (body: string) =>
  /id="search-q" name="q" type="search" value="([^"]*)"/.exec(body)?.[1];

describe('search refuses what it cannot answer cheaply', () => {
  it.each([
    ['-zzzz', '-zzzz'],
    ['-a -b', '-a -b'],
    ['"" -x', '&quot;&quot; -x'],
    ['storage or -deal', 'storage or -deal'],
  ])('refuses %s, made of exclusions only, and keeps the words', async (q, shown) => {
    const page = await search(`/search?${new URLSearchParams({ q })}`);
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('Add a word to look for');
    expect(formValue(page.body)).toBe(shown);
  });

  it.each(['the', 'the and of', '!!! ...'])(
    'refuses %s, whose words all reduce to nothing',
    async (q) => {
      const page = await search(`/search?${new URLSearchParams({ q })}`);
      expect(page.statusCode).toBe(400);
      expect(page.body).toContain('too common');
      expect(formValue(page.body)).toBe(q.replace(/&/g, '&amp;'));
    },
  );

  it('still answers words with exclusions', async () => {
    const page = await search('/search?q=storage%20-abundant');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Storage deal lost to direct sales');
  });

  it('shows 10 pages at most: the last has no link further, and a deeper page is refused', async () => {
    const last = await search('/search?q=abundant&page=10');
    expect(last.statusCode).toBe(200);
    expect(last.body.match(/class="search-hit"/g)).toHaveLength(20);
    expect(last.body).not.toContain('rel="next"');
    expect(last.body).toContain('Only the first 10 pages');
    expect(last.body).toContain('More than 200 matches');
    for (const url of [
      '/search?q=abundant&page=11',
      '/search?q=-zzzz&page=99999',
      '/search?sentiment=mixed&page=99999',
    ]) {
      const deep = await search(url);
      expect(deep.statusCode).toBe(400);
      expect(deep.body).toContain('Search shows the first 10 pages');
      expect(deep.body).toContain('<form method="get" action="/search" class="search-form"');
    }
    expect(formValue((await search('/search?q=abundant&page=11')).body)).toBe('abundant');
  });
});

describe('search has its own rate limit per address', () => {
  it(`answers ${SEARCH_LIMIT} searches a minute, then 429 with Retry-After`, async () => {
    const mine = nextAddress();
    for (let i = 0; i < SEARCH_LIMIT; i++)
      expect((await search('/search?q=storage', mine)).statusCode).toBe(200);
    const limited = await search('/search?q=storage', mine);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
    expect(limited.body).toContain('Too many searches from your address');
    expect((await search('/search?q=storage')).statusCode).toBe(200); // another address
    expect((await t.app.inject({ url: '/', remoteAddress: mine })).statusCode).toBe(200);
  });
});

describe('search has its own small share of the database', () => {
  it('queues searches beyond its share, sheds beyond the queue with 503, and pages stay served', async () => {
    const share = searchShareOf(t.app.db);
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    // Occupy every slot, as slow searches would.
    const held = Array.from({ length: share.concurrency }, () => share.run(() => gate));
    expect(share.active).toBe(share.concurrency);

    const queued = Array.from({ length: QUEUE }, () => search('/search?q=storage'));
    await vi.waitFor(() => expect(share.waiting).toBe(QUEUE));

    const shed = await search('/search?q=storage%20deal');
    expect(shed.statusCode).toBe(503);
    expect(Number(shed.headers['retry-after'])).toBeGreaterThan(0);
    expect(shed.body).toContain('Too many searches are running');
    expect(formValue(shed.body)).toBe('storage deal');

    const front = await t.app.inject({ url: '/', remoteAddress: nextAddress() });
    expect(front.statusCode).toBe(200);
    expect((await t.app.inject({ url: '/vendors/globex' })).statusCode).toBe(200);

    open();
    await Promise.all(held);
    for (const response of await Promise.all(queued)) {
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('Storage deal lost to direct sales');
    }
    expect(share.active).toBe(0);
    expect(share.waiting).toBe(0);
  });

  it('holds one search at a time on the embedded database, which has one connection', () => {
    const share = searchShareOf(t.app.db);
    expect(share.concurrency).toBe(t.app.database.kind === 'pglite' ? 1 : 2);
  });
});

describe('SearchShare', () => {
  it('hands a freed slot to the longest waiting search', async () => {
    const share = new SearchShare({ concurrency: 1, queue: 5, maxWaitMs: 60_000 });
    const order: number[] = [];
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const first = share.run(() => gate);
    const second = share.run(async () => order.push(2));
    const third = share.run(async () => order.push(3));
    expect(share.waiting).toBe(2);
    open();
    await Promise.all([first, second, third]);
    expect(order).toEqual([2, 3]);
    expect(share.active).toBe(0);
  });

  it('sheds a search that waits longer than allowed, and one beyond the queue at once', async () => {
    vi.useFakeTimers();
    try {
      const share = new SearchShare({ concurrency: 1, queue: 1, maxWaitMs: 500 });
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      const first = share.run(() => gate);
      const waiting = share.run(async () => 'never');
      await expect(share.run(async () => 'never')).rejects.toBeInstanceOf(SearchBusyError);
      const outcome = expect(waiting).rejects.toBeInstanceOf(SearchBusyError);
      await vi.advanceTimersByTimeAsync(500);
      await outcome;
      expect(share.waiting).toBe(0);
      open();
      await first;
      expect(share.active).toBe(0);
      expect(await share.run(async () => 'free again')).toBe('free again');
    } finally {
      vi.useRealTimers();
    }
  });

  it('frees the slot when a search fails', async () => {
    const share = new SearchShare({ concurrency: 1, queue: 0, maxWaitMs: 1000 });
    await expect(share.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(share.active).toBe(0);
  });
});

// PostgreSQL only: PGlite runs PostgreSQL compiled to WebAssembly on this very thread, where the
// timer behind statement_timeout cannot fire while a statement runs, so there a search is
// bounded by the refusals above and by one search at a time instead (see the README).
describe.skipIf(!process.env.DATABASE_URL)('a search that takes too long', () => {
  let slow: TestApp;
  beforeAll(async () => {
    slow = await createTestApp({
      search: { rateLimit: 1000, timeoutMs: 200, concurrency: 2, queue: 2 },
    });
  });
  afterAll(async () => slow?.close());

  it('is stopped by the statement timeout and answered with a clear 503, the words kept', async () => {
    // Another connection holds a lock on the stories, so the search waits, whatever the speed of
    // the machine, until its statement timeout ends it.
    const locker = new pg.Client({ connectionString: slow.config.databaseUrl });
    await locker.connect();
    try {
      await locker.query('begin');
      await locker.query('lock table threads in access exclusive mode');
      const page = await slow.app.inject({ url: '/search?q=storage%20deal&vendor=' });
      expect(page.statusCode).toBe(503);
      expect(page.headers['retry-after']).toBeDefined();
      expect(page.body).toContain('This search took too long');
      expect(page.body).toContain('narrow it');
      expect(formValue(page.body)).toBe('storage deal');
      await locker.query('rollback');
      const again = await slow.app.inject({ url: '/search?q=storage' });
      expect(again.statusCode).toBe(200);
      // The timeout was the search's alone: other queries on the same pool keep the pool's own
      // (DATABASE_STATEMENT_TIMEOUT_MS, 10 s in the tests' configuration).
      const { rows } = await sql<{
        timeout: string;
      }>`select current_setting('statement_timeout') as timeout`.execute(slow.app.db);
      expect(rows[0]!.timeout).toBe('10s');
    } finally {
      await locker.end();
    }
  });
});
