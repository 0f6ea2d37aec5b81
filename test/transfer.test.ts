import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { TestClient, registerMember } from './helpers/client.js';
import { postStory } from './helpers/content.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ pageCacheMs: 1000 });
  const member = new TestClient(t.app);
  await registerMember(member, 'transfer-writer');
  const body = 'The partner manager answered within a day and the deal registration held. '.repeat(
    20,
  );
  await postStory(member, { title: 'A story to compress', vendors: 'Compress Vendor', body });
});
afterAll(async () => t.close());

const get = (url: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url, headers });

describe('compression', () => {
  it('sends pages, styles, scripts and feeds with brotli or gzip, as the browser asks', async () => {
    const plain = await get('/');
    expect(plain.headers['content-encoding']).toBeUndefined();
    for (const url of ['/', '/vendors/compress-vendor', '/feed.atom', '/static/style.css']) {
      const br = await get(url, { 'accept-encoding': 'br, gzip' });
      expect(br.headers['content-encoding'], url).toBe('br');
      expect(String(br.headers.vary)).toMatch(/accept-encoding/i);
      const gzip = await get(url, { 'accept-encoding': 'gzip' });
      expect(gzip.headers['content-encoding'], url).toBe('gzip');
      const unpacked = gunzipSync(gzip.rawPayload).toString();
      expect(brotliDecompressSync(br.rawPayload).toString()).toBe(unpacked);
      expect(unpacked.length).toBeGreaterThan(gzip.rawPayload.length);
    }
    // The same page, from the page cache the second time, is still compressed.
    const cached = await get('/', { 'accept-encoding': 'gzip' });
    expect(cached.headers['x-page-cache']).toBe('hit');
    expect(gunzipSync(cached.rawPayload).toString()).toContain('A story to compress');
  });
});

describe('static files', () => {
  it('are linked by their content hash and cached for a year as immutable', async () => {
    const page = await get('/');
    const links = [...page.body.matchAll(/(?:href|src)="(\/static\/[^"]+)"/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThanOrEqual(3);
    for (const link of links) {
      expect(link).toMatch(/^\/static\/[a-z-]+\.[0-9a-f]{12}\.(css|js|svg)$/);
      const file = await get(link);
      expect(file.statusCode, link).toBe(200);
      expect(file.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
  });

  it('answer their plain name revalidated, and a stale or made-up hash not at all', async () => {
    const plain = await get('/static/style.css');
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['cache-control']).toBe('public, max-age=0');
    expect((await get('/static/style.000000000000.css')).statusCode).toBe(404);
    expect((await get('/static/nothing.css')).statusCode).toBe(404);
    expect((await get('/static/..%2fpackage.json')).statusCode).toBe(404);
  });
});

describe('pages for members', () => {
  it('are never cached, compressed or not', async () => {
    const member = new TestClient(t.app);
    await registerMember(member, 'transfer-reader');
    const page = await member.get('/', { 'accept-encoding': 'gzip' });
    expect(page.headers['cache-control']).toBe('private, no-store');
    expect(page.headers['content-encoding']).toBe('gzip');
  });
});
