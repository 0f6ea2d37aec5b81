import { createHash, timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Config } from '../config.js';

/** Requests that matched no route share one label, so that random URLs make no new series. */
const UNMATCHED = 'unmatched';

/**
 * GET /metrics in Prometheus text format, for the holder of METRICS_TOKEN only. Without the token
 * configured there is no such page (404): an unset token must not mean "open to everyone".
 * Requests are counted by route pattern (`/threads/:id`), never by URL, so ids and query strings
 * neither multiply the series nor show which posts someone read.
 */
export const metricsPlugin = fp<{ config: Readonly<Config> }>(
  async (app, { config }) => {
    const token = config.metricsToken;
    if (!token) return;
    const registry = new Registry();
    // Process metrics, event-loop delay among them (nodejs_eventloop_lag_*).
    collectDefaultMetrics({ register: registry });
    countRequests(app, registry);
    watchDatabasePool(app, registry);
    watchPageCache(app, registry);

    const expected = digest(token);
    app.get('/metrics', async (request, reply) => {
      reply.header('cache-control', 'no-store');
      if (!authorized(request, expected)) return unauthorized(reply);
      return reply.type(registry.contentType).send(await registry.metrics());
    });
  },
  { name: 'metrics' },
);

function countRequests(app: FastifyInstance, registry: Registry) {
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status.',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by method, route pattern and status.',
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? UNMATCHED,
      status: String(reply.statusCode),
    };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
  });
}

function watchDatabasePool(app: FastifyInstance, registry: Registry) {
  const gauge = (name: string, help: string, read: (pool: PoolStats) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        // The database plugin registers after this one; it is there by the first scrape.
        if (app.hasDecorator('database')) this.set(read(app.database.stats()));
      },
    });
  gauge(
    'db_pool_connections',
    'Database connections open (1 on the embedded database).',
    (p) => p.size,
  );
  gauge(
    'db_pool_connections_in_use',
    'Database connections running a query or transaction.',
    (p) => p.inUse,
  );
  gauge(
    'db_pool_waiting_requests',
    'Queries waiting for a free database connection.',
    (p) => p.waiting,
  );
}

type PoolStats = ReturnType<FastifyInstance['database']['stats']>;
type CacheStats = ReturnType<FastifyInstance['pageCache']['stats']>;

function watchPageCache(app: FastifyInstance, registry: Registry) {
  const stats = () => app.pageCache.stats();
  const gauge = (name: string, help: string, read: (s: CacheStats) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read(stats()));
      },
    });
  // The cache counts on its own; each scrape copies its totals.
  const counter = (name: string, help: string, read: (s: CacheStats) => number) =>
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(read(stats()));
      },
    });
  gauge('page_cache_entries', 'Pages kept in the page cache.', (s) => s.entries);
  gauge('page_cache_bytes', 'Bytes of pages kept in the page cache.', (s) => s.bytes);
  gauge('page_cache_max_bytes', 'The page cache budget (PAGE_CACHE_BYTES).', (s) => s.maxBytes);
  counter('page_cache_hits_total', 'Pages served from the page cache.', (s) => s.hits);
  counter(
    'page_cache_misses_total',
    'Cacheable requests the page cache could not serve.',
    (s) => s.misses,
  );
  counter(
    'page_cache_evictions_total',
    'Pages dropped to stay within the budget.',
    (s) => s.evictions,
  );
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Compares digests, so the time taken tells nothing about the token, not even its length. */
function authorized(request: FastifyRequest, expected: Buffer): boolean {
  const given = /^Bearer +(\S+) *$/i.exec(request.headers.authorization ?? '')?.[1];
  return timingSafeEqual(digest(given ?? ''), expected) && given !== undefined;
}

function unauthorized(reply: FastifyReply) {
  return reply
    .code(401)
    .header('www-authenticate', 'Bearer')
    .type('text/plain; charset=utf-8')
    .send('A bearer token is required: Authorization: Bearer $METRICS_TOKEN\n');
}
