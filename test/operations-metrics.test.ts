import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { TestClient, registerMember } from './helpers/client.js';
import { postStory } from './helpers/content.js';

// Issue 10, "Operating it": /metrics in Prometheus text, only for the holder of METRICS_TOKEN.

const TOKEN = 'metrics-token-for-the-operations-test-0123456789';

let off: TestApp;
let on: TestApp;
let threadId: number;

beforeAll(async () => {
  off = await createTestApp();
  on = await createTestApp({ metricsToken: TOKEN, pageCacheMs: 10_000 });
  const member = new TestClient(on.app);
  await registerMember(member, 'metrics-member');
  threadId = await postStory(member, { title: 'A story to count requests on' });
}, 120_000);
afterAll(async () => Promise.all([off?.close(), on?.close()]));

const scrape = (t: TestApp, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url: '/metrics', headers });

/** The value of one sample, by metric name and (a subset of) its labels. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const has = Object.entries(labels).every(([key, value]) =>
      (match[2] ?? '').split(',').includes(`${key}="${value}"`),
    );
    if (has) return Number(match[3]);
  }
  return NaN;
}

describe('/metrics', () => {
  it('does not exist without METRICS_TOKEN', async () => {
    expect((await scrape(off)).statusCode).toBe(404);
    expect((await scrape(off, { authorization: 'Bearer ' })).statusCode).toBe(404);
    expect((await scrape(off, { authorization: `Bearer ${TOKEN}` })).statusCode).toBe(404);
  });

  it('answers 401 without the bearer token, or with a wrong one', async () => {
    for (const authorization of [
      undefined,
      '',
      'Bearer',
      'Bearer ',
      `Bearer ${TOKEN}x`,
      `Bearer ${TOKEN.slice(0, -1)}`,
      `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`,
      TOKEN,
    ]) {
      const response = await scrape(on, authorization === undefined ? {} : { authorization });
      expect(response.statusCode, String(authorization)).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.body).not.toContain('http_requests_total');
    }
  });

  it('answers in Prometheus text with the bearer token, never from the page cache', async () => {
    // A reader without cookies: the second and third reads come from the page cache.
    const read = (url: string) => on.app.inject({ method: 'GET', url });
    for (let i = 0; i < 3; i++) expect((await read(`/threads/${threadId}`)).statusCode).toBe(200);
    expect((await read('/threads/987654321')).statusCode).toBe(404);
    expect((await read('/no/such/page')).statusCode).toBe(404);

    const first = await scrape(on, { authorization: `Bearer ${TOKEN}` });
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(first.headers['cache-control']).toBe('no-store');
    expect(first.headers['x-page-cache']).toBeUndefined();
    const second = await scrape(on, { authorization: `Bearer ${TOKEN}` });
    expect(second.headers['x-page-cache']).toBeUndefined();
    // The scrape itself is counted: the second scrape sees the first.
    const scrapes = (text: string) =>
      sample(text, 'http_requests_total', { route: '/metrics', status: '200' }) || 0;
    expect(scrapes(second.body)).toBe(scrapes(first.body) + 1);
    expect(sample(second.body, 'http_requests_total', { route: '/metrics', status: '401' })).toBe(
      8,
    );

    const text = second.body;
    // By route pattern and status, never by the raw URL.
    expect(
      sample(text, 'http_requests_total', { method: 'GET', route: '/threads/:id', status: '200' }),
    ).toBeGreaterThanOrEqual(3);
    expect(
      sample(text, 'http_requests_total', { method: 'GET', route: '/threads/:id', status: '404' }),
    ).toBe(1);
    expect(sample(text, 'http_requests_total', { route: 'unmatched', status: '404' })).toBe(1);
    expect(text).not.toContain(`/threads/${threadId}"`);
    expect(text).not.toContain('/threads/987654321');
    expect(text).not.toContain('/no/such/page');
    expect(
      sample(text, 'http_request_duration_seconds_count', {
        route: '/threads/:id',
        status: '200',
      }),
    ).toBeGreaterThanOrEqual(3);
    expect(text).toMatch(/^http_request_duration_seconds_bucket\{.*le="0\.1".*\} \d+$/m);

    // The database pool.
    expect(sample(text, 'db_pool_connections')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'db_pool_connections_in_use')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'db_pool_waiting_requests')).toBeGreaterThanOrEqual(0);
    // Event-loop delay.
    expect(sample(text, 'nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
    // The page cache: the story was read three times without a cookie; two came from memory.
    const stats = on.app.pageCache.stats();
    expect(sample(text, 'page_cache_hits_total')).toBe(stats.hits);
    expect(stats.hits).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'page_cache_misses_total')).toBe(stats.misses);
    expect(sample(text, 'page_cache_bytes')).toBe(stats.bytes);
    expect(sample(text, 'page_cache_bytes')).toBeGreaterThan(0);
    expect(sample(text, 'page_cache_max_bytes')).toBe(stats.maxBytes);
    expect(sample(text, 'page_cache_entries')).toBe(stats.entries);
    expect(sample(text, 'page_cache_evictions_total')).toBe(stats.evictions);
  });
});
