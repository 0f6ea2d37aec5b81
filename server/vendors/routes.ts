import type { FastifyInstance, FastifyRequest } from 'fastify';
import { notFound } from '../http-errors.js';
import { offsetOf, pageNumber, toPage } from '../pagination.js';
import { loadThreadList } from '../threads/thread-list.js';
import { findVendorBySlug, listVendorAliases, listVendors } from './queries.js';

const VENDORS_PER_PAGE = 50;

export async function vendorRoutes(app: FastifyInstance) {
  app.get('/vendors', async (request, reply) => {
    const page = pageNumber(request.query);
    const name = queryString(request, 'q').trim().slice(0, 60);
    const rows = await listVendors(app.db, {
      name,
      offset: offsetOf(page, VENDORS_PER_PAGE),
      limit: VENDORS_PER_PAGE,
    });
    const vendors = toPage(rows, page, VENDORS_PER_PAGE);
    const query = name ? `?q=${encodeURIComponent(name)}&` : '?';
    return reply.page('vendors/index', {
      title: 'Vendors',
      vendors,
      name,
      pagePrefix: `/vendors${query}`,
    });
  });

  app.get<{ Params: { slug: string } }>('/vendors/:slug', async (request, reply) => {
    const vendor = await findVendorBySlug(app.db, request.params.slug);
    if (!vendor) throw notFound('There is no vendor at this address.');
    const [aliases, threads] = await Promise.all([
      listVendorAliases(app.db, vendor.id, vendor.name),
      loadThreadList(app, { vendorId: vendor.id }, pageNumber(request.query)),
    ]);
    return reply.page('vendors/show', {
      title: vendor.name,
      vendor,
      aliases: aliases.map((alias) => alias.name),
      threads,
      pagePrefix: `/vendors/${vendor.slug}?`,
    });
  });
}

function queryString(request: FastifyRequest, name: string): string {
  const value = (request.query as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
}
