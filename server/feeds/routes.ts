import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { withAuthor } from '../posts/authors.js';
import { SlugParams } from '../schemas.js';
import { listThreads } from '../threads/thread-list.js';
import { findVendorBySlug } from '../vendors/queries.js';
import { redirectMerged } from '../vendors/redirects.js';
import { sitemapEntries } from './sitemap.js';

const ENTRIES = 30;

/** Pages for members and forms only: nothing a search engine should list. */
const ROBOTS = `User-agent: *
Disallow: /account
Disallow: /notifications
Disallow: /mod
Disallow: /vendor-desk
Disallow: /password/
Disallow: /email/
Disallow: /threads/new
Disallow: /search
Disallow: /login
Disallow: /register
`;

/** Atom feeds of the newest stories, for the whole forum and per vendor; robots.txt; the sitemap. */
export const feedRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/robots.txt', async (request, reply) =>
    reply
      .type('text/plain; charset=utf-8')
      // The same for everyone, and crawlers read it often: a day in any cache.
      .header('cache-control', 'public, max-age=86400')
      .send(`${ROBOTS}\nSitemap: ${request.protocol}://${request.host}/sitemap.xml\n`),
  );

  app.get('/sitemap.xml', async (request, reply) => {
    const entries = await sitemapEntries(app.db);
    reply.type('application/xml; charset=utf-8');
    return reply.viewAsync('feeds/sitemap', {
      base: `${request.protocol}://${request.host}`,
      entries,
    });
  });

  app.get('/feed.atom', async (request, reply) =>
    sendFeed(app, request, reply, {
      title: 'Partner Stories: newest stories',
      path: '/',
      feedPath: '/feed.atom',
    }),
  );

  app.get(
    '/vendors/:slug/feed.atom',
    { schema: { params: SlugParams } },
    async (request, reply) => {
      const vendor = await findVendorBySlug(app.db, request.params.slug);
      if (!vendor) return redirectMerged(app, reply, request.params.slug, '/feed.atom');
      return sendFeed(app, request, reply, {
        title: `Partner Stories: ${vendor.name}`,
        path: `/vendors/${vendor.slug}`,
        feedPath: `/vendors/${vendor.slug}/feed.atom`,
        vendorId: vendor.id,
      });
    },
  );
};

interface FeedSpec {
  title: string;
  path: string;
  feedPath: string;
  vendorId?: number;
}

async function sendFeed(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  spec: FeedSpec,
) {
  const found = await listThreads(app.db, {
    vendorId: spec.vendorId,
    sort: 'new',
    withBody: true,
    offset: 0,
    limit: ENTRIES,
  });
  const rows = found.slice(0, ENTRIES);
  const base = `${request.protocol}://${request.host}`;
  const entries = rows.map((row) => ({
    ...withAuthor(row),
    updated: row.edited_at ?? row.created_at,
    vendors: row.vendors.map((vendor) => vendor.name),
  }));
  const updated = entries.reduce(
    (latest, entry) => (entry.updated > latest ? entry.updated : latest),
    new Date(0),
  );
  reply.type('application/atom+xml; charset=utf-8');
  return reply.viewAsync('feeds/atom', {
    ...spec,
    base,
    entries,
    updated: entries.length > 0 ? updated : new Date(),
  });
}
