import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/app.js';
import { createTestApp, testConfig, type TestApp } from './helpers/app.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { TestClient, registerMember } from './helpers/client.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ rateLimits: { login: 3, register: 2, writes: 1000 }, bodyLimit: 4096 });
});
afterAll(async () => t.close());

describe('headers', () => {
  it('sends a strict Content-Security-Policy and the other helmet headers', async () => {
    const response = await t.app.inject({ url: '/' });
    const csp = String(response.headers['content-security-policy']);
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
      "form-action 'self'",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('same-origin');
    expect(response.headers['strict-transport-security']).toBeDefined();
    expect(response.body).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
  });

  it('gives a visitor reading a page no cookie at all', async () => {
    const response = await t.app.inject({ url: '/' });
    expect(response.headers['set-cookie']).toBeUndefined();
  });
});

describe('error pages', () => {
  it('renders a 404 page in the layout', async () => {
    const response = await t.app.inject({ url: '/no/such/page' });
    expect(response.statusCode).toBe(404);
    expect(response.body).toContain('Page not found');
    expect(response.body).toContain('Partner Stories');
  });

  it('answers a JSON client with JSON and the same status', async () => {
    const response = await t.app.inject({
      url: '/no/such/page',
      headers: { accept: 'application/json' },
    });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ statusCode: 404 });
  });

  it('answers a body over the limit with a 413 page', async () => {
    const client = new TestClient(t.app);
    await client.get('/register');
    const response = await client.post('/register', {
      username: 'big',
      password: 'x'.repeat(10_000),
    });
    expect(response.statusCode).toBe(413);
    expect(response.body).toContain('more than the forum accepts');
  });
});

describe('an internal error', () => {
  let app: FastifyInstance;
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    app = await buildApp(testConfig({ databaseUrl: database.url }));
    app.get('/boom', async () => {
      throw new Error('relation "secret_table" does not exist at /srv/app/server/queries.ts:12');
    });
    app.get('/bad-sql', async () => {
      await app.db
        .selectFrom('no_such_table' as 'users')
        .selectAll()
        .execute();
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it.each(['/boom', '/bad-sql'])(
    '%s shows a 500 page without message, SQL or stack',
    async (url) => {
      const response = await app.inject({ url });
      expect(response.statusCode).toBe(500);
      expect(response.body).toContain('Something went wrong');
      for (const leak of ['secret_table', 'no_such_table', 'queries.ts', 'relation', 'Error:']) {
        expect(response.body).not.toContain(leak);
      }
      expect(response.body).not.toMatch(/\bat .+:\d+:\d+/);
      const json = await app.inject({ url, headers: { accept: 'application/json' } });
      expect(json.statusCode).toBe(500);
      expect(json.body).not.toContain('table');
    },
  );
});

describe('rate limits', () => {
  it('answers the 4th login attempt in a minute with a readable 429 page', async () => {
    await registerMember(new TestClient(t.app), 'ratelimited');
    const client = new TestClient(t.app);
    await client.get('/login');
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      statuses.push(
        (await client.post('/login', { username: 'ratelimited', password: 'wrong password' }))
          .statusCode,
      );
    }
    expect(statuses).toEqual([400, 400, 400, 429]);
    const last = await client.post('/login', {
      username: 'ratelimited',
      password: 'correct horse battery',
    });
    expect(last.statusCode).toBe(429);
    expect(last.body).toContain('Too many attempts');
    expect(last.body).toContain('<h1>Slow down</h1>');
  });

  it('limits registrations too', async () => {
    const client = new TestClient(t.app);
    await client.get('/register');
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      statuses.push(
        (await client.post('/register', { username: `reg-${i}`, password: 'long enough password' }))
          .statusCode,
      );
    }
    // One registration was made by the test above.
    expect(statuses.at(-1)).toBe(429);
  });
});

describe('health checks', () => {
  it('/healthz and /readyz answer 200 while the database is up', async () => {
    expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    const ready = await t.app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready' });
  });

  it('/readyz answers 503 when the database is gone, /healthz still 200', async () => {
    const database = await createTestDatabase();
    const app = await buildApp(testConfig({ databaseUrl: database.url }));
    await app.ready();
    await app.database.close();
    const ready = await app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().status).toBe('unavailable');
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
    await app.close().catch(() => undefined);
    await database.drop();
  });
});

describe('production settings', () => {
  it('marks the session cookie Secure', async () => {
    const database = await createTestDatabase();
    const app = await buildApp(testConfig({ databaseUrl: database.url, env: 'production' }));
    await app.ready();
    try {
      const client = new TestClient(app);
      const response = await client.submit('/register', '/register', {
        username: 'secure-one',
        password: 'long enough password',
      });
      const cookie = [response.headers['set-cookie']].flat().find((c) => c?.startsWith('session='));
      expect(cookie).toMatch(/;\s*Secure/i);
      expect(cookie).toMatch(/HttpOnly/i);
    } finally {
      await app.close();
      await database.drop();
    }
  });
});

describe('the page cache for readers without cookies', () => {
  it('serves a visitor a page up to PAGE_CACHE_MS old, a member always a fresh one', async () => {
    const cached = await createTestApp({ pageCacheMs: 60_000 });
    try {
      const member = new TestClient(cached.app);
      await registerMember(member, 'cache-member');
      const first = await cached.app.inject({ url: '/' });
      expect(first.headers['x-page-cache']).toBeUndefined();
      await member.get('/threads/new');
      await member.post('/threads', {
        title: 'Posted after the cache filled',
        body: 'x',
        vendors: 'Cache Co',
        sentiment: 'good',
        action: 'post',
      });
      const again = await cached.app.inject({ url: '/' });
      expect(again.headers['x-page-cache']).toBe('hit');
      expect(again.body).toBe(first.body);
      expect(again.headers['content-security-policy']).toBeDefined();
      expect((await member.get('/')).body).toContain('Posted after the cache filled');
      // Any cookie at all skips the cache; a page that sets a cookie is never kept.
      const withCookie = await cached.app.inject({ url: '/', cookies: { unrelated: '1' } });
      expect(withCookie.body).toContain('Posted after the cache filled');
      await cached.app.inject({ url: '/login' });
      const login = await cached.app.inject({ url: '/login' });
      expect(login.headers['x-page-cache']).toBeUndefined();
      expect(String(login.headers['set-cookie'])).toContain('_csrf_secret');
      // A forged Host header cannot plant its links in the cached feed others get.
      await cached.app.inject({ url: '/feed.atom', headers: { host: 'evil.example' } });
      const feed = await cached.app.inject({ url: '/feed.atom' });
      expect(feed.body).not.toContain('evil.example');
    } finally {
      await cached.close();
    }
  });
});
