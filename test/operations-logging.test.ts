import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../server/app.js';
import { testConfig } from './helpers/app.js';
import { TestClient, registerMember } from './helpers/client.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { postStory } from './helpers/content.js';

// Issue 10, "Operating it": every unhandled error and every 5xx is logged once, as JSON, with the
// route and the request id and nothing that names a reader or an anonymous author; slow queries
// are logged with their SQL text and without their parameters.

type Line = Record<string, unknown> & { level: number; msg: string; reqId?: string };

const lines: Line[] = [];
const logStream = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const text of chunk.toString().split('\n')) if (text) lines.push(JSON.parse(text) as Line);
    done();
  },
});

const SLOW_MS = 20;
let database: TestDatabase;
let app: FastifyInstance;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildApp(
    testConfig({ databaseUrl: database.url, logLevel: 'info', slowQueryMs: SLOW_MS }),
    { logStream },
  );
  // Test-only routes, added the way a feature adds its own.
  app.get('/boom/:id', async () => {
    throw new Error('the handler broke');
  });
  app.get('/unavailable/:id', async (_request, reply) =>
    reply.code(503).header('retry-after', '5').send('later'),
  );
  await app.ready();
}, 60_000);
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

/** The lines logged for one request, found by the request id Fastify gave it. */
function linesOf(reqId: string) {
  return lines.filter((line) => line.reqId === reqId);
}
function failureLines(reqId: string) {
  return linesOf(reqId).filter((line) => line.level >= 50);
}
async function requestIdOf(run: () => Promise<unknown>): Promise<string> {
  const before = lines.length;
  await run();
  const ids = new Set(lines.slice(before).flatMap((line) => (line.reqId ? [line.reqId] : [])));
  expect(ids.size).toBe(1);
  return [...ids][0]!;
}

describe('error logging', () => {
  it('logs an unhandled error once, as a 500, with the route and the request id', async () => {
    const reqId = await requestIdOf(async () => {
      const response = await app.inject({
        method: 'GET',
        url: '/boom/12345?who=someone',
        remoteAddress: '203.0.113.77',
        headers: {
          cookie: 'session=cookie-value-that-must-not-be-logged',
          'x-forwarded-for': '198.51.100.23',
          'user-agent': 'agent-that-must-not-be-logged',
        },
      });
      expect(response.statusCode).toBe(500);
      expect(response.body).not.toContain('the handler broke');
    });
    const failures = failureLines(reqId);
    expect(failures).toHaveLength(1);
    const [failure] = failures;
    expect(failure).toMatchObject({ route: '/boom/:id', statusCode: 500, method: 'GET' });
    expect(failure!.reqId).toBe(reqId);
    expect(JSON.stringify(failure!.err)).toContain('the handler broke');
    const logged = JSON.stringify(linesOf(reqId));
    for (const secret of [
      '203.0.113.77',
      '198.51.100.23',
      'cookie-value-that-must-not-be-logged',
      'agent-that-must-not-be-logged',
    ])
      expect(logged).not.toContain(secret);
  });

  it('logs a 5xx that no error raised, once, with the route and the request id', async () => {
    const reqId = await requestIdOf(() => app.inject({ method: 'GET', url: '/unavailable/7' }));
    const failures = failureLines(reqId);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ route: '/unavailable/:id', statusCode: 503 });
  });

  it('logs neither a client error nor a success as a failure', async () => {
    const missing = await requestIdOf(() => app.inject({ method: 'GET', url: '/no/such/page' }));
    const ok = await requestIdOf(() => app.inject({ method: 'GET', url: '/healthz' }));
    expect(failureLines(missing)).toEqual([]);
    expect(failureLines(ok)).toEqual([]);
  });

  it('logs a failed anonymous reply without its author, its words or its cookies', async () => {
    const author = new TestClient(app);
    await registerMember(author, 'quiet-author-name');
    const threadId = await postStory(author, { title: 'Somewhere to reply' });
    await author.get(`/threads/${threadId}`);
    const words = 'words-of-the-anonymous-reply-that-must-not-be-logged';
    await sql`alter table replies rename to replies_away`.execute(app.db);
    let status = 0;
    const reqId = await requestIdOf(async () => {
      const response = await author.post(`/threads/${threadId}/replies`, {
        body: words,
        anonymous: 'on',
      });
      status = response.statusCode;
    }).finally(() => sql`alter table replies_away rename to replies`.execute(app.db));
    expect(status).toBeGreaterThanOrEqual(500);
    const failures = failureLines(reqId);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ route: '/threads/:id/replies', statusCode: status });
    const everything = JSON.stringify(lines);
    expect(everything).not.toContain('quiet-author-name');
    expect(everything).not.toContain(words);
    for (const value of author.cookies.values()) expect(everything).not.toContain(value);
  });
});

describe('request logging', () => {
  it('logs each request once, when it is answered, with its status and time and no reader', async () => {
    const reqId = await requestIdOf(() =>
      app.inject({ url: '/vendors?q=none', headers: { cookie: 'session=not-a-session' } }),
    );
    const logged = linesOf(reqId);
    expect(logged).toHaveLength(1);
    const [line] = logged;
    expect(line).toMatchObject({
      level: 30,
      msg: 'request completed',
      req: { method: 'GET', url: '/vendors?q=none' },
      res: { statusCode: 200 },
    });
    expect(typeof line!.responseTime).toBe('number');
    expect(JSON.stringify(line)).not.toContain('not-a-session');
  });
});

describe('slow query logging', () => {
  it('logs a statement slower than SLOW_QUERY_MS with its SQL text, never its parameters', async () => {
    const before = lines.length;
    const parameter = 'parameter-value-that-must-not-be-logged';
    await sql`select pg_sleep(${(SLOW_MS * 3) / 1000}), ${parameter}::text as marker`.execute(
      app.db,
    );
    const slow = lines.slice(before).filter((line) => line.msg === 'slow query');
    expect(slow).toHaveLength(1);
    expect(slow[0]!.level).toBe(40);
    expect(slow[0]!.sql).toMatch(/select pg_sleep\(\$1\), \$2::text as marker/);
    expect(slow[0]!.durationMs).toBeGreaterThanOrEqual(SLOW_MS);
    expect(JSON.stringify(slow[0])).not.toContain(parameter);
    expect(JSON.stringify(lines)).not.toContain(parameter);
  });

  it('leaves fast statements alone', async () => {
    const before = lines.length;
    await sql`select 1 as one`.execute(app.db);
    expect(lines.slice(before).filter((line) => line.msg === 'slow query')).toEqual([]);
  });
});
