import fp from 'fastify-plugin';
import type { Config } from '../config.js';

declare module 'fastify' {
  interface FastifyRequest {
    pageCacheKey: string | null;
  }
}

interface CachedPage {
  freshUntil: number;
  /** Past freshness, one request renders the page again while the others still get this copy. */
  staleUntil: number;
  refreshing: boolean;
  contentType: string;
  body: string;
}

/** How long past its freshness a page may still be served while one request renders it anew. */
const STALE_GRACE_MS = 5000;

const MAX_PAGES = 2000;
const CACHEABLE_TYPES = /^(text\/html|application\/atom\+xml)/;

/**
 * A micro-cache of public pages for readers without any cookie: the same page asked for again
 * within PAGE_CACHE_MS is sent from memory instead of being read and rendered again. Members (any
 * cookie at all) always get a fresh page, and a response that sets a cookie is never kept, so
 * nothing personal can be served to someone else. When a page goes stale, one request renders it
 * again while the others are still served the old copy, so a busy page is not rendered fifty
 * times at once. A visitor sees a page at most PAGE_CACHE_MS plus one render old.
 */
export const pageCachePlugin = fp<{ config: Readonly<Config> }>(
  async (app, { config }) => {
    const ttl = config.pageCacheMs;
    app.decorateRequest('pageCacheKey', null);
    if (ttl <= 0) return;
    const pages = new Map<string, CachedPage>();

    app.addHook('onRequest', async (request, reply) => {
      if (request.method !== 'GET' || request.headers.cookie || request.headers.authorization)
        return;
      // The host is part of the key: feeds build absolute links from it.
      const key = `${request.headers.accept?.includes('application/json') ? 'json ' : ''}${request.host} ${request.url}`;
      const page = pages.get(key);
      const now = Date.now();
      const usable = page && (page.freshUntil > now || (page.staleUntil > now && page.refreshing));
      if (page && usable) {
        reply.code(200).header('content-type', page.contentType).header('x-page-cache', 'hit');
        return reply.send(page.body);
      }
      if (page && page.staleUntil > now) page.refreshing = true;
      request.pageCacheKey = key;
    });

    // Whatever became of the request that was to refresh a page, let another one try.
    app.addHook('onResponse', async (request) => {
      const page = request.pageCacheKey ? pages.get(request.pageCacheKey) : undefined;
      if (page) page.refreshing = false;
    });

    app.addHook('onSend', async (request, reply, payload) => {
      const key = request.pageCacheKey;
      if (!key || reply.statusCode !== 200 || typeof payload !== 'string') return payload;
      const contentType = String(reply.getHeader('content-type') ?? '');
      if (reply.hasHeader('set-cookie') || !CACHEABLE_TYPES.test(contentType)) return payload;
      if (pages.size >= MAX_PAGES) pages.delete(pages.keys().next().value!);
      const freshUntil = Date.now() + ttl;
      pages.delete(key); // re-inserted last: the map's order is the order of eviction
      pages.set(key, {
        freshUntil,
        staleUntil: freshUntil + STALE_GRACE_MS,
        refreshing: false,
        contentType,
        body: payload,
      });
      return payload;
    });
  },
  { name: 'page-cache' },
);
