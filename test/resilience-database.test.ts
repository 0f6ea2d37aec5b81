import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../server/app.js';
import { vendorMatchKey } from '../server/vendors/names.js';
import { createTestApp, testConfig, type TestApp } from './helpers/app.js';
import { TestClient, registerMember } from './helpers/client.js';
import { createTestDatabase } from './helpers/database.js';

// Issue 10, findings 5 and 6 on either database: vendors named at once by several members, double
// submits of replies, overload shed with 503, database failures answered with 503, never 500.

const onPostgres = Boolean(process.env.DATABASE_URL);

let t: TestApp;
let alice: TestClient;
let bob: TestClient;
beforeAll(async () => {
  t = await createTestApp();
  alice = new TestClient(t.app);
  bob = new TestClient(t.app);
  await registerMember(alice, 'alice');
  await registerMember(bob, 'bob');
  await alice.get('/threads/new');
  await bob.get('/threads/new');
});
afterAll(async () => t.close());

let titles = 0;
const story = (vendors: string) => ({
  title: `Concurrent story ${++titles}`,
  body: `Story ${titles}: nobody answered our deal registration.`,
  vendors,
  sentiment: 'bad',
  action: 'post',
});

async function vendorRows(name: string) {
  return t.app.db
    .selectFrom('vendor_names')
    .innerJoin('vendors', 'vendors.id', 'vendor_names.vendor_id')
    .select(['vendors.id', 'vendors.slug', 'vendors.story_count', 'vendors.voices'])
    .where('vendor_names.match_key', '=', vendorMatchKey(name))
    .execute();
}

describe('vendors named at once', () => {
  it('two members naming the same new vendor both get their story, and one vendor', async () => {
    for (let round = 0; round < 20; round++) {
      const name = `Brand New Vendor ${round}`;
      const [a, b] = await Promise.all([
        alice.post('/threads', story(name)),
        bob.post('/threads', story(name.toUpperCase())),
      ]);
      expect([a.statusCode, b.statusCode], a.body.slice(0, 300) + b.body.slice(0, 300)).toEqual([
        303, 303,
      ]);
      const rows = await vendorRows(name);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ story_count: 2, voices: 2 });
    }
    const vendors = await t.app.db
      .selectFrom('vendors')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('name', 'ilike', 'brand new vendor %')
      .executeTakeFirstOrThrow();
    expect(Number(vendors.n)).toBe(20);
  });

  it('stories naming overlapping vendors in different orders all go through', async () => {
    const carol = new TestClient(t.app);
    await registerMember(carol, 'carol');
    await carol.get('/threads/new');
    for (let round = 0; round < 20; round++) {
      const names = ['Alpha', 'Beta', 'Gamma', 'Delta'].map((name) => `${name} ${round % 4}`);
      const reversed = [...names].reverse();
      const shuffled = [names[2]!, names[0]!, names[3]!, names[1]!];
      const responses = await Promise.all([
        alice.post('/threads', story(names.join(', '))),
        bob.post('/threads', story(reversed.join(', '))),
        carol.post('/threads', story(shuffled.join(', '))),
      ]);
      for (const response of responses)
        expect(response.statusCode, response.body.slice(0, 500)).toBe(303);
    }
    for (const name of ['Alpha 0', 'Beta 1', 'Gamma 2', 'Delta 3']) {
      const rows = await vendorRows(name);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.story_count).toBe(15); // five rounds, three stories each
    }
  });
});

describe('double submits of a reply', () => {
  it('the same reply sent twice at once, or again after a timeout, is posted once', async () => {
    const created = await alice.post('/threads', story('Reply Target Vendor'));
    const threadId = Number(/^\/threads\/(\d+)\//.exec(String(created.headers.location))![1]);
    await bob.get(`/threads/${threadId}`);
    const form = { body: 'Same here: three weeks without an answer.' };
    const [first, second] = await Promise.all([
      bob.post(`/threads/${threadId}/replies`, form),
      bob.post(`/threads/${threadId}/replies`, form),
    ]);
    expect([first.statusCode, second.statusCode]).toEqual([303, 303]);
    expect(second.headers.location).toBe(first.headers.location);
    // The browser gave up waiting and the member sends it again.
    const third = await bob.post(`/threads/${threadId}/replies`, form);
    expect(third.headers.location).toBe(first.headers.location);
    // Someone else saying the same is another reply; so is an anonymous repeat.
    const other = await alice.post(`/threads/${threadId}/replies`, form);
    expect(other.headers.location).not.toBe(first.headers.location);

    const rows = await t.app.db
      .selectFrom('replies')
      .select('id')
      .where('thread_id', '=', threadId)
      .execute();
    expect(rows).toHaveLength(2);
    const thread = await t.app.db
      .selectFrom('threads')
      .select('reply_count')
      .where('id', '=', threadId)
      .executeTakeFirstOrThrow();
    expect(thread.reply_count).toBe(2);
  });

  it('an anonymous double submit is recognised too, and a named one is not its twin', async () => {
    const created = await alice.post('/threads', story('Anon Reply Vendor'));
    const threadId = Number(/^\/threads\/(\d+)\//.exec(String(created.headers.location))![1]);
    await bob.get(`/threads/${threadId}`);
    const form = { body: 'Anonymous: same experience.', anonymous: 'on' };
    const first = await bob.post(`/threads/${threadId}/replies`, form);
    const again = await bob.post(`/threads/${threadId}/replies`, form);
    expect(again.headers.location).toBe(first.headers.location);
    const named = await bob.post(`/threads/${threadId}/replies`, { body: form.body });
    expect(named.headers.location).not.toBe(first.headers.location);
  });
});

describe('database failures answer 503, never 500', () => {
  let app: Awaited<ReturnType<typeof buildApp>>;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const database = await createTestDatabase();
    drop = database.drop;
    app = await buildApp(testConfig({ databaseUrl: database.url }));
    app.get<{ Params: { code: string } }>('/fail/:code', async (request) => {
      const { code } = request.params;
      if (code === 'terminated') throw new Error('Connection terminated unexpectedly');
      throw Object.assign(new Error(`database said ${code}`), { code });
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await drop();
  });

  it.each(['57P01', '57P03', '08006', 'ECONNREFUSED', 'ECONNRESET', 'terminated', '40P01'])(
    '%s: a 503 page with Retry-After',
    async (code) => {
      const page = await app.inject({ url: `/fail/${code}`, headers: { accept: 'text/html' } });
      expect(page.statusCode).toBe(503);
      expect(Number(page.headers['retry-after'])).toBeGreaterThan(0);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect(page.body).toContain('try again');
      expect(page.body).not.toContain(code === 'terminated' ? 'Connection terminated' : code);

      const json = await app.inject({
        url: `/fail/${code}`,
        headers: { accept: 'application/json' },
      });
      expect(json.statusCode).toBe(503);
      expect(json.headers['retry-after']).toBeDefined();
      expect(json.json()).toMatchObject({ statusCode: 503 });
    },
  );

  it('other database errors stay a 500', async () => {
    const page = await app.inject({ url: '/fail/23505' });
    expect(page.statusCode).toBe(500);
    expect(page.headers['retry-after']).toBeUndefined();
  });
});

describe('overload', () => {
  let app: Awaited<ReturnType<typeof buildApp>>;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const database = await createTestDatabase();
    drop = database.drop;
    app = await buildApp(
      testConfig({
        databaseUrl: database.url,
        database: {
          poolSize: 1,
          connectTimeoutMs: 5000,
          statementTimeoutMs: 10_000,
          idleInTransactionTimeoutMs: 30_000,
        },
        overload: { maxEventLoopDelayMs: 0, maxHeapUsedBytes: 0, maxPoolWaiting: 0 },
      }),
    );
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await drop();
  });

  it('sheds requests with 503 and Retry-After while queries queue for the pool', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let holding = false;
    const holder = app.db.connection().execute(async (connection) => {
      await sql`select 1`.execute(connection);
      holding = true;
      await gate;
    });
    // The one connection is really held before the next query asks for it.
    await vi.waitFor(() => expect(holding).toBe(true), { timeout: 10_000 });
    const queued = sql`select 1`.execute(app.db);
    await vi.waitFor(() => expect(app.database.stats().waiting).toBe(1), { timeout: 10_000 });
    await vi.waitFor(() => expect(app.isUnderPressure()).toBe(true), { timeout: 10_000 });

    const page = await app.inject({ url: '/about/anonymity', headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(503);
    expect(Number(page.headers['retry-after'])).toBeGreaterThan(0);
    expect(page.body).toContain('busy');
    const json = await app.inject({
      url: '/about/anonymity',
      headers: { accept: 'application/json' },
    });
    expect(json.statusCode).toBe(503);
    expect(json.json()).toMatchObject({ statusCode: 503 });

    // Probes are never shed, and readiness does not wait behind the busy pool.
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
    // The pool's one connection is held until release(): a readiness check queued behind it
    // would not answer at all.
    const ready = await app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);

    release();
    await holder;
    await queued;
    await vi.waitFor(() => expect(app.isUnderPressure()).toBe(false), { timeout: 2000 });
    expect((await app.inject({ url: '/about/anonymity' })).statusCode).toBe(200);
  });
});

describe.runIf(onPostgres)('the pool on PostgreSQL', () => {
  it('runs with the configured statement and idle-in-transaction timeouts', async () => {
    const database = await createTestDatabase();
    const app = await buildApp(
      testConfig({
        databaseUrl: database.url,
        database: {
          poolSize: 3,
          connectTimeoutMs: 2000,
          statementTimeoutMs: 500,
          idleInTransactionTimeoutMs: 45_000,
        },
      }),
    );
    try {
      const { rows } = await sql<{
        statement: string;
        idle: string;
      }>`select current_setting('statement_timeout') as statement,
                current_setting('idle_in_transaction_session_timeout') as idle`.execute(app.db);
      expect(rows[0]).toEqual({ statement: '500ms', idle: '45s' });
      await expect(sql`select pg_sleep(2)`.execute(app.db)).rejects.toMatchObject({
        code: '57014',
      });
      expect(app.database.stats().size).toBeLessThanOrEqual(3);
    } finally {
      await app.close();
      await database.drop();
    }
  });
});
