import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from '../http-errors.js';
import { offsetOf, pageNumber, toPage } from '../pagination.js';
import { findVendorPage, reputationView } from '../reputation/queries.js';
import { loadThreadList } from '../threads/thread-list.js';
import { parseOrdering } from '../threads/sorting.js';
import { redirectMerged } from '../vendors/redirects.js';
import { listVendors, VENDOR_SORTS, type VendorSort } from '../vendors/queries.js';

const VENDORS_PER_PAGE = 50;

export async function vendorRoutes(app: FastifyInstance) {
  app.get('/vendors', async (request, reply) => {
    const page = pageNumber(request.query);
    const name = queryString(request, 'q').trim().slice(0, 60);
    const sort = (queryString(request, 'sort') || 'stories') as VendorSort;
    if (!VENDOR_SORTS.includes(sort))
      throw new HttpError(400, `Vendors can be sorted by: ${VENDOR_SORTS.join(', ')}.`);
    const rows = await listVendors(app.db, {
      name,
      sort,
      offset: offsetOf(page, VENDORS_PER_PAGE),
      limit: VENDORS_PER_PAGE,
    });
    const params = new URLSearchParams();
    if (name) params.set('q', name);
    if (sort !== 'stories') params.set('sort', sort);
    const kept = params.toString();
    return reply.page('vendors/index', {
      title: 'Vendors',
      vendors: toPage(rows, page, VENDORS_PER_PAGE),
      name,
      sort,
      sorts: VENDOR_SORTS,
      pagePrefix: `/vendors?${kept ? `${kept}&` : ''}`,
    });
  });

  app.get<{ Params: { slug: string } }>('/vendors/:slug', async (request, reply) => {
    const vendor = await findVendorPage(app.db, request.params.slug);
    if (!vendor) return redirectMerged(app, reply, request.params.slug, '');
    const ordering = parseOrdering(request);
    const page = pageNumber(request.query);
    const [top, threads] = await Promise.all([
      loadThreadList(app, { vendorId: vendor.id, sort: 'top' }, 1, 5),
      loadThreadList(
        app,
        { vendorId: vendor.id, sort: ordering.sort, period: ordering.period },
        page,
      ),
    ]);
    const path = `/vendors/${vendor.slug}`;
    return reply.page('vendors/show', {
      title: vendor.name,
      vendor,
      aliases: vendor.aliases.map((alias) => alias.name),
      reputation: reputationView(vendor),
      topStories: top.items.filter((thread) => thread.score > 0),
      threads,
      ordering,
      sortPath: path,
      pagePrefix: ordering.pagePrefix(path),
      feedUrl: `${path}/feed.atom`,
    });
  });
}

function queryString(request: FastifyRequest, name: string): string {
  const value = (request.query as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
}
