import { createHash } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { PageStore, type PageCacheStats, type StoredPage } from './page-store.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * true: the page answers a link that carries a secret (a confirmation, reset or unsubscribe
     * token): never kept, and sent `private, no-store`, so no cache shows it to anyone else.
     */
    privatePage?: true;
  }
  interface FastifyInstance {
    /** The page cache's own accounting (for tests and metrics). */
    pageCache: { stats(): PageCacheStats };
  }
  interface FastifyRequest {
    /** Set when the page this request renders may be kept, and under which key. */
    pageCacheKey: string | null;
  }
}

/** How long past its freshness a page may still be served while one request renders it anew. */
const STALE_GRACE_MS = 5000;
/** How long a request waits for another's render of a page nobody has kept yet. */
const COALESCE_WAIT_MS = 10_000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
/** How long a proxy may serve a stale page while every instance answers with an error. */
const STALE_IF_ERROR_S = 300;
const CACHEABLE_TYPES = /^(text\/html|application\/atom\+xml|application\/xml)/;
const PRIVATE = 'private, no-store';

/**
 * The query parameters each page reads, by route. A request with any other parameter, or with
 * one twice, bypasses the cache: otherwise `?c=1`, `?c=2` … would each keep a copy of one page.
 * Routes not listed are kept only without a query string.
 */
const KNOWN_PARAMETERS: Record<string, readonly string[]> = {
  '/': ['page', 'sort', 't'],
  '/vendors': ['category', 'page', 'q', 'sort'],
  '/vendors/:slug': ['page', 'sort', 't'],
  '/threads/:id': ['page'],
  '/threads/:id/:slug': ['page'],
  '/users/:username': ['page'],
  '/search': ['area', 'page', 'q', 'sentiment', 'tier', 'vendor'],
};

/**
 * The cache key of a URL, its known parameters in one order (so `?sort=new&page=2` and
 * `?page=2&sort=new` share an entry), or null when the request must bypass the cache. Names and
 * values are compared as sent, undecoded: an encoded name is unknown, an encoded value its own key.
 */
export function pageCacheKey(route: string | undefined, url: string): string | null {
  const mark = url.indexOf('?');
  if (mark < 0) return url;
  const known = KNOWN_PARAMETERS[route ?? ''] ?? [];
  const pairs = url.slice(mark + 1).split('&');
  const seen = new Set<string>();
  for (const pair of pairs) {
    const name = pair.split('=', 1)[0]!;
    if (!known.includes(name) || seen.has(name)) return null;
    seen.add(name);
  }
  return `${url.slice(0, mark)}?${pairs.sort().join('&')}`;
}

/**
 * A micro-cache of public pages for readers without any cookie, within PAGE_CACHE_BYTES: the same
 * page asked for again within PAGE_CACHE_MS is sent from memory instead of being read and rendered
 * again. Members (any cookie at all) always get a fresh page, and a response that sets a cookie is
 * never kept, so nothing personal can be served to someone else. When a page goes stale, one
 * request renders it again while the others are still served the old copy, so a busy page is not
 * rendered fifty times at once. The same rules reach a proxy in front through Cache-Control, ETag
 * and Vary, so a CDN can do this job for several instances.
 */
export const pageCachePlugin = fp<{ config: Readonly<Config> }>(
  async (app, { config }) => {
    const ttl = config.pageCacheMs;
    const store = new PageStore({
      maxBytes: config.pageCacheBytes,
      sweepEveryMs: Math.max(ttl, 1000),
    });
    const keeping = ttl > 0 && config.pageCacheBytes > 0;
    const publicControl =
      `public, max-age=0, s-maxage=${Math.ceil(ttl / 1000)}, ` +
      `stale-while-revalidate=${STALE_GRACE_MS / 1000}, stale-if-error=${STALE_IF_ERROR_S}`;
    const fromMemory = new WeakSet<FastifyRequest>();
    // One render per key at a time: the request rendering a page, and how to wake those waiting.
    const rendering = new Map<string, Promise<void>>();
    const renderedBy = new WeakMap<FastifyRequest, () => void>();
    app.decorate('pageCache', { stats: () => store.stats() });
    app.decorateRequest('pageCacheKey', null);

    app.addHook('onRequest', async (request, reply) => {
      if (request.method !== 'GET' || isPersonal(request) || ttl <= 0) return;
      const path = pageCacheKey(request.routeOptions.url, request.url);
      if (path === null) return;
      // The host is part of the key: feeds build absolute links from it.
      const key = `${request.headers.accept?.includes('application/json') ? 'json ' : ''}${request.host} ${path}`;
      let page = keeping ? store.get(key) : undefined;
      // Nothing kept yet and a request rendering it: wait for that one instead of rendering too.
      if (!page && rendering.has(key)) {
        await Promise.race([rendering.get(key), sleep(COALESCE_WAIT_MS)]);
        page = store.get(key);
      }
      const now = store.now();
      const usable = page && (page.freshUntil > now || page.refreshing);
      store.countHit(Boolean(usable));
      if (page && usable) {
        fromMemory.add(request);
        return sendKept(request, reply, page, now);
      }
      if (page) page.refreshing = true;
      request.pageCacheKey = key;
      if (!rendering.has(key)) {
        let done = () => {};
        rendering.set(key, new Promise<void>((resolve) => (done = resolve)));
        renderedBy.set(request, done);
      }
    });

    const sendKept = (
      request: FastifyRequest,
      reply: FastifyReply,
      page: StoredPage,
      now: number,
    ) => {
      reply
        .header('x-page-cache', 'hit')
        .header('age', String(Math.floor((now - page.storedAt) / 1000)))
        .header('cache-control', publicControl)
        .header('etag', page.etag)
        .header('vary', 'Cookie');
      if (etagMatches(request, page.etag)) return reply.code(304).send();
      return reply.code(200).header('content-type', page.contentType).send(page.body);
    };

    // Whatever became of the request that was to render a page (sent, failed, abandoned by its
    // client), let the others go on.
    const finishRender = async (request: FastifyRequest) => {
      const key = request.pageCacheKey;
      if (!key) return;
      const page = keeping ? store.get(key) : undefined;
      if (page) page.refreshing = false;
      const done = renderedBy.get(request);
      if (!done) return;
      renderedBy.delete(request);
      rendering.delete(key);
      done();
    };
    app.addHook('onResponse', finishRender);
    app.addHook('onRequestAbort', finishRender);

    app.addHook('onSend', async (request, reply, payload) => {
      if (fromMemory.has(request)) return payload;
      const personal = isPersonal(request);
      // Static files keep their own Cache-Control: they are the same for everyone.
      if (reply.hasHeader('set-cookie') || (personal && !reply.hasHeader('cache-control'))) {
        reply.header('cache-control', PRIVATE);
        return payload;
      }
      if (personal || request.method !== 'GET' || reply.statusCode !== 200) return payload;
      const contentType = String(reply.getHeader('content-type') ?? '');
      if (typeof payload !== 'string' || !CACHEABLE_TYPES.test(contentType)) return payload;

      const body = Buffer.from(payload);
      const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
      const key = request.pageCacheKey;
      if (key && keeping) {
        const storedAt = store.now();
        store.set(key, {
          contentType,
          body,
          etag,
          storedAt,
          freshUntil: storedAt + ttl,
          staleUntil: storedAt + ttl + STALE_GRACE_MS,
          refreshing: false,
        });
      }
      reply
        .header('cache-control', key ? publicControl : 'no-cache')
        .header('etag', etag)
        .header('vary', 'Cookie');
      // The bytes, not the string: Fastify and compression would encode it a second time.
      if (!etagMatches(request, etag)) return body;
      reply.code(304).removeHeader('content-type');
      return null;
    });
  },
  { name: 'page-cache' },
);

/**
 * Members, and anyone else carrying a cookie or credentials, get pages made for them alone; so
 * does whoever opens a link with a secret in it.
 */
function isPersonal(request: FastifyRequest): boolean {
  return Boolean(
    request.headers.cookie ||
    request.headers.authorization ||
    request.routeOptions.config.privatePage,
  );
}

/** If-None-Match by weak comparison (a proxy that compresses may weaken the tag). */
function etagMatches(request: FastifyRequest, etag: string): boolean {
  const header = request.headers['if-none-match'];
  if (!header) return false;
  return header.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed.replace(/^W\//, '') === etag;
  });
}
