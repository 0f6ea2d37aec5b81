import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/app.js';
import { testConfig } from './helpers/app.js';
import { TestClient, registerMember } from './helpers/client.js';
import { postStory } from './helpers/content.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';

// Issue 12, "Beyond one machine": with DATABASE_REPLICA_URL, the page queries of GET requests go
// to the replica, writes and a member's pages right after a write to the primary. The "replica"
// here is the same database through a second URL whose sessions are read-only, so a page that
// wrote through it would fail, and the routing is seen in which pool served.

describe.runIf(process.env.DATABASE_URL)('reads from a replica', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let story: number;

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
    const replica = new URL(database.url);
    replica.searchParams.set('options', '-c default_transaction_read_only=on');
    app = await buildApp(
      testConfig({
        databaseUrl: database.url,
        databaseReplicaUrl: replica.toString(),
        replicaLagMs: 60_000,
      }),
    );
    await app.ready();
    const writer = new TestClient(app);
    await registerMember(writer, 'replica-writer');
    story = await postStory(writer, { title: 'Read from a replica', vendors: 'Globex' });
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  /** Which pools served `work`: connections taken from each while it ran. */
  async function served(work: () => Promise<unknown>) {
    const before = app.database.replicaStats!();
    await work();
    const after = app.database.replicaStats!();
    return { primary: after.primary - before.primary, replica: after.replica - before.replica };
  }

  it('serves a visitor’s pages from the replica alone', async () => {
    const visitor = new TestClient(app);
    for (const url of ['/', '/vendors', `/threads/${story}`, '/search?q=replica', '/feed.atom']) {
      const pools = await served(async () => {
        const response = await visitor.get(url);
        expect(response.statusCode, url).toBe(200);
      });
      expect(pools, url).toEqual({ primary: 0, replica: expect.any(Number) });
      expect(pools.replica, url).toBeGreaterThan(0);
    }
  });

  it('writes to the primary, and reads a member’s own pages there right after', async () => {
    const member = new TestClient(app);
    await registerMember(member, 'replica-reader'); // a write: the cookie says so
    await member.get(`/threads/${story}`);
    const reply = await served(() =>
      member.post(`/threads/${story}/replies`, { body: 'Written to the primary.' }),
    );
    expect(reply.replica).toBe(0);
    expect(reply.primary).toBeGreaterThan(0);
    const next = await served(async () => {
      const page = await member.get(`/threads/${story}`);
      expect(page.body).toContain('Written to the primary.');
    });
    expect(next.replica).toBe(0);
  });

  it('reads a member’s pages from the replica once the lag has passed, without a write there', async () => {
    const member = new TestClient(app);
    await registerMember(member, 'replica-later');
    member.cookies.set('read_primary_until', String(Date.now() - 1));
    for (const url of [
      '/',
      `/threads/${story}`,
      '/notifications',
      '/account',
      '/users/replica-writer',
    ]) {
      const pools = await served(async () => {
        const response = await member.get(url);
        expect(response.statusCode, url).toBe(200);
      });
      expect(pools.replica, url).toBeGreaterThan(0);
    }
  });
});
