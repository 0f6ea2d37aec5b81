import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/app.js';
import { testConfig } from './helpers/app.js';
import { TestClient, registerMember } from './helpers/client.js';
import { postStory } from './helpers/content.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';

// Several instances on one PostgreSQL and one Redis, as operators run the forum. Needs a real
// PostgreSQL (two processes cannot share the embedded database) and the Redis on 127.0.0.1.
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe.runIf(process.env.DATABASE_URL)('two instances on one database and one Redis', () => {
  let database: TestDatabase;
  let one: FastifyInstance;
  let two: FastifyInstance;

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = testConfig({
      databaseUrl: database.url,
      redisUrl: REDIS_URL,
      // A namespace of their own, so that other runs sharing this Redis count apart.
      redisPrefix: `partner-stories-test-${randomBytes(6).toString('hex')}:`,
      rateLimits: { login: 3, register: 1000, writes: 1000 },
    });
    // Both start at once on an empty database: one migrates, the other waits its turn.
    [one, two] = await Promise.all([buildApp(config), buildApp(config)]);
    await Promise.all([one.ready(), two.ready()]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([one?.close(), two?.close()]);
    await database?.drop();
  });

  it('start cleanly together on an empty database', async () => {
    for (const app of [one, two])
      expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  });

  it('share a rate limit: two instances do not allow twice the attempts', async () => {
    const attempt = async (app: FastifyInstance) => {
      const client = new TestClient(app);
      return (
        await client.submit('/login', '/login', { username: 'nobody-here', password: 'wrong one!' })
      ).statusCode;
    };
    const statuses = [await attempt(one), await attempt(two), await attempt(one)];
    expect(statuses).toEqual([400, 400, 400]);
    expect(await attempt(two)).toBe(429);
    expect(await attempt(one)).toBe(429);
  });

  it('honour a logout on one instance on the other, and show each other stories', async () => {
    const member = new TestClient(one);
    await registerMember(member, 'roaming-member');
    const id = await postStory(member, { title: 'Posted through instance one' });
    // The same cookies, sent to the other instance.
    const elsewhere = new TestClient(two);
    for (const [name, value] of member.cookies) elsewhere.cookies.set(name, value);
    const page = await elsewhere.get(`/threads/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Posted through instance one');
    expect((await elsewhere.get('/account')).statusCode).toBe(200);

    await member.get('/');
    expect((await member.post('/logout')).statusCode).toBe(303);
    const after = await elsewhere.get('/account');
    expect(after.statusCode).toBe(303);
    expect(after.headers.location).toContain('/login');
  });
});
