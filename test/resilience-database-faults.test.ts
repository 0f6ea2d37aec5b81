import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { TestClient, registerMember } from './helpers/client.js';
import { postStory } from './helpers/content.js';

// Issue 10, finding 1, on a real PostgreSQL: the server ends the forum's connections (a restart,
// a failover, pg_terminate_backend, an idle-connection killer). The process must live, requests in
// flight get 200 or 503 (never 500), and the next ones succeed; /readyz follows the database.

const onPostgres = Boolean(process.env.DATABASE_URL);

// An unhandled 'error' event of a pg client ends up here; without a listener it kills the process.
const crashes: unknown[] = [];
const onCrash = (error: unknown) => crashes.push(error);

let admin: pg.Client;
const databaseOf = (app: TestApp) => new URL(app.config.databaseUrl!).pathname.slice(1);

/** Ends every connection to the app's database but the admin's own; returns how many. */
async function terminate(database: string): Promise<number> {
  const { rows } = await admin.query(
    `select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
      where datname = $1 and pid <> pg_backend_pid()`,
    [database],
  );
  return rows[0].n as number;
}

describe.runIf(onPostgres)('PostgreSQL ends the forum’s connections', () => {
  let t: TestApp;
  let alice: TestClient;
  let threadId: number;
  beforeAll(async () => {
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
    admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    admin.on('error', onCrash);
    await admin.connect();
    t = await createTestApp();
    alice = new TestClient(t.app);
    await registerMember(alice, 'alice');
    threadId = await postStory(alice, { vendors: 'Fault Vendor' });
  });
  afterAll(async () => {
    await t?.close();
    await admin?.end();
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
  });

  it('a connection held by a request is ended: its query fails, the process lives', async () => {
    await t.app.db.connection().execute(async (connection) => {
      await sql`select 1`.execute(connection);
      expect(await terminate(databaseOf(t))).toBeGreaterThan(0);
      // The server's goodbye arrives while the connection is checked out and idle.
      await vi.waitFor(async () => {
        const { rows } = await admin.query(
          'select count(*)::int as n from pg_stat_activity where datname = $1',
          [databaseOf(t)],
        );
        expect(rows[0].n).toBe(0);
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      await expect(sql`select 1`.execute(connection)).rejects.toThrow();
    });
    expect(crashes).toEqual([]);
    expect((await t.app.inject({ url: '/' })).statusCode).toBe(200);
  });

  it('under concurrent requests: 200 or 503 with Retry-After, then the forum carries on', async () => {
    const requests: Promise<{ statusCode: number; headers: Record<string, unknown> }>[] = [];
    const urls = [
      '/',
      `/threads/${threadId}`,
      '/vendors',
      '/vendors/fault-vendor',
      '/search?q=deal',
    ];
    let ended = 0;
    for (let wave = 0; wave < 5; wave++) {
      for (let i = 0; i < 30; i++) requests.push(alice.get(urls[i % urls.length]!));
      await new Promise((resolve) => setTimeout(resolve, 5));
      ended += await terminate(databaseOf(t));
    }
    const responses = await Promise.all(requests);
    expect(ended).toBeGreaterThan(0);
    for (const response of responses) {
      expect([200, 503]).toContain(response.statusCode);
      if (response.statusCode === 503) expect(response.headers['retry-after']).toBeDefined();
    }
    expect(crashes).toEqual([]);

    for (const url of urls) expect((await alice.get(url)).statusCode, url).toBe(200);
    await postStory(alice, { vendors: 'Fault Vendor, After Vendor' });
    expect((await t.app.inject({ url: '/readyz' })).statusCode).toBe(200);
  });

  it('writes in flight get 303 or 503, and no acknowledged story is lost', async () => {
    await alice.get('/threads/new');
    const posts = Array.from({ length: 20 }, (_, i) =>
      alice.post('/threads', {
        title: `Written during a restart ${i}`,
        body: 'The partner manager left and nobody took over.',
        vendors: `Restart Vendor ${i % 3}`,
        sentiment: 'bad',
        action: 'post',
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    await terminate(databaseOf(t));
    const responses = await Promise.all(posts);
    for (const response of responses) expect([303, 503]).toContain(response.statusCode);
    const acknowledged = responses.filter((response) => response.statusCode === 303).length;
    const { rows } = await sql<{
      n: number;
    }>`select count(*)::int as n from threads where title like 'Written during a restart %'`.execute(
      t.app.db,
    );
    expect(rows[0]!.n).toBeGreaterThanOrEqual(acknowledged);
    expect(crashes).toEqual([]);
  });
});

describe.runIf(onPostgres)('/readyz follows the database', () => {
  let t: TestApp;
  beforeAll(async () => {
    admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    admin.on('error', onCrash);
    await admin.connect();
    t = await createTestApp();
  });
  afterAll(async () => {
    await admin.query(`alter database "${databaseOf(t)}" allow_connections true`).catch(() => {});
    await t?.close();
    await admin?.end();
  });

  it('503 while the database refuses connections, 200 within 2 s of its return', async () => {
    const database = databaseOf(t);
    expect((await t.app.inject({ url: '/readyz' })).statusCode).toBe(200);
    await admin.query(`alter database "${database}" allow_connections false`);
    await terminate(database);

    await vi.waitFor(
      async () => expect((await t.app.inject({ url: '/readyz' })).statusCode).toBe(503),
      { timeout: 5000, interval: 50 },
    );
    const page = await t.app.inject({ url: '/vendors', headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(503);
    expect(page.headers['retry-after']).toBeDefined();
    const json = await t.app.inject({ url: '/vendors', headers: { accept: 'application/json' } });
    expect(json.statusCode).toBe(503);
    expect(json.json()).toMatchObject({ statusCode: 503 });
    expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);

    await admin.query(`alter database "${database}" allow_connections true`);
    // Each probe opens its own connection, so readiness returns with the first probe after the
    // database does, without a restart (polled; no wall-clock bound on a busy machine).
    await vi.waitFor(
      async () => expect((await t.app.inject({ url: '/readyz' })).statusCode).toBe(200),
      { timeout: 10_000, interval: 50 },
    );
    expect((await t.app.inject({ url: '/vendors' })).statusCode).toBe(200);
    expect(crashes).toEqual([]);
  });
});
