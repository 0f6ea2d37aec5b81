import autocannon from 'autocannon';
import Fastify from 'fastify';
import { Eta } from 'eta';
import os from 'node:os';
import pg from 'pg';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { openDatabase } from '../server/db/index.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { FULL_SIZE, scaled, seed } from './seed.js';

// npm run bench: seeds a PostgreSQL database with a generated data set (once; kept for later
// runs), then measures the forum's busiest pages with autocannon against a baseline: a bare
// Fastify route reading 20 rows with one pg query and one Eta template.
//
// BENCH_DATABASE_URL  (default postgres://postgres@127.0.0.1:5432/partner_stories_bench)
// BENCH_SCALE         (default 1: 100,000 stories; 0.1 for a quick look)
// BENCH_SECONDS       (default 10 per page), BENCH_CONNECTIONS (default 50)

const databaseUrl =
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/partner_stories_bench';
const scale = Number(process.env.BENCH_SCALE ?? 1);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const log = (line: string) => console.log(line);

async function ensureDatabase() {
  const url = new URL(databaseUrl);
  const name = url.pathname.slice(1);
  url.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
  if (exists.rowCount === 0) await admin.query(`create database "${name}"`);
  await admin.end();
}

async function ensureData() {
  const database = await openDatabase({ databaseUrl, dataDir: '/nonexistent' });
  try {
    await migrateToLatest(database.db);
    const { count } = await database.db
      .selectFrom('threads')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    const size = scaled(scale);
    if (Number(count) >= size.threads) {
      log(`Data set present: ${count} stories.`);
      return;
    }
    if (Number(count) > 0)
      throw new Error(
        `The bench database holds ${count} stories, fewer than asked: drop it and run again.`,
      );
    log(`Seeding ${JSON.stringify(size)} (full size: ${JSON.stringify(FULL_SIZE)})`);
    await seed(database.db, size, log);
  } finally {
    await database.close();
  }
}

/** The practical ceiling of this stack: one pg query, one template, nothing else. */
async function startBaseline() {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  const eta = new Eta({ autoEscape: true });
  const template = eta.compile(
    '<!doctype html><html><body><ol><% for (const t of it.rows) { %><li><a href="/threads/<%= t.id %>"><%= t.title %></a> <%= t.score %></li><% } %></ol></body></html>',
  );
  const app = Fastify();
  app.get('/', async (_request, reply) => {
    const { rows } = await pool.query(
      'select id, title, score from threads order by id desc limit 20',
    );
    reply.type('text/html; charset=utf-8');
    return template.call(eta, { rows });
  });
  app.addHook('onClose', async () => pool.end());
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app;
}

async function measure(url: string) {
  const result = await autocannon({ url, connections, duration: seconds, pipelining: 1 });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return { rps: result.requests.average, p99: result.latency.p99 };
}

async function startForum(pageCacheMs: number) {
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    SESSION_SECRET: 'bench-session-secret-0123456789-abcdefghij',
    ANON_SECRET: 'bench-anon-secret-0123456789-abcdefghijkl',
    LOG_LEVEL: 'silent',
    PAGE_CACHE_MS: String(pageCacheMs),
  });
  const forum = await buildApp(config);
  return { forum, url: await forum.listen({ port: 0, host: '127.0.0.1' }) };
}

async function main() {
  await ensureDatabase();
  await ensureData();
  const fresh = await startForum(0);
  const cached = await startForum(1000);
  const baseline = await startBaseline();
  const baselineUrl = `http://127.0.0.1:${(baseline.server.address() as { port: number }).port}/`;

  const db = fresh.forum.db;
  const busyThread = await db
    .selectFrom('threads')
    .select('id')
    .where('reply_count', '>=', 50)
    .orderBy('id')
    .executeTakeFirstOrThrow();
  const busyVendor = await db
    .selectFrom('vendors')
    .select(['slug', 'story_count'])
    .orderBy('story_count', 'desc')
    .executeTakeFirstOrThrow();
  const pages: [string, string][] = [
    ['/ (hot)', '/'],
    ['/vendors', '/vendors'],
    [
      `/vendors/${busyVendor.slug} (${busyVendor.story_count} stories)`,
      `/vendors/${busyVendor.slug}`,
    ],
    [`/threads/${busyThread.id} (50 replies shown)`, `/threads/${busyThread.id}`],
  ];
  log(
    `\nMachine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  );
  log(
    `${connections} connections, ${seconds} s per page, server, PostgreSQL and load generator on one machine\n`,
  );
  const run = async (url: string) => {
    await measure(url).catch(() => undefined); // warm up caches and the JIT
    return measure(url);
  };
  const base = await run(baselineUrl);
  log(`baseline (20 rows, 1 query, 1 template): ${base.rps.toFixed(0)} req/s, p99 ${base.p99} ms`);
  const rows: string[] = [];
  for (const [page, path] of pages) {
    const a = await run(fresh.url + path);
    const b = await run(cached.url + path);
    const share = (rps: number) => `${((100 * rps) / base.rps).toFixed(0)}%`;
    rows.push(
      `| ${page} | ${a.rps.toFixed(0)} | ${share(a.rps)} | ${a.p99} | ${b.rps.toFixed(0)} | ${share(b.rps)} | ${b.p99} |`,
    );
    log(rows.at(-1)!);
  }
  log(
    '\n| page | req/s, rendered each time | of baseline | p99 ms | req/s, 1 s page cache | of baseline | p99 ms |',
  );
  log('|---|---:|---:|---:|---:|---:|---:|');
  log(
    `| baseline: 20 rows, 1 query, 1 template | ${base.rps.toFixed(0)} | 100% | ${base.p99} | | | |`,
  );
  for (const row of rows) log(row);
  await fresh.forum.close();
  await cached.forum.close();
  await baseline.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
