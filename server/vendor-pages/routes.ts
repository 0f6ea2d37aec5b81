import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { offsetOf, toPage } from '../pagination.js';
import { findVendorPage, reputationView, sentimentBar } from '../reputation/queries.js';
import { verdict } from '../reputation/score.js';
import { promisedVersusDelivered } from '../reputation/promises.js';
import { VENDOR_CATEGORIES, findVendorProfile, mayEditVendorProfile } from '../vendors/profile.js';
import { responseFigures, responseWindowStart } from '../reputation/response-figures.js';
import { PageQuery, SlugParams } from '../schemas.js';
import { loadThreadList } from '../threads/thread-list.js';
import { OrderingQuery, parseOrdering } from '../threads/sorting.js';
import { redirectMerged } from '../vendors/redirects.js';
import { isFollowing } from '../follows/queries.js';
import { listVendors, VENDOR_SORTS } from '../vendors/queries.js';

const VENDORS_PER_PAGE = 50;

const VendorListQuery = Type.Object({
  ...PageQuery.properties,
  /** Part of a vendor's name; the first 60 characters count. */
  q: Type.Optional(Type.String()),
  category: Type.Optional(
    Type.Union(
      VENDOR_CATEGORIES.map((category) => Type.Literal(category.key)),
      { errorMessage: `A category is one of: ${VENDOR_CATEGORIES.map((c) => c.key).join(', ')}.` },
    ),
  ),
  sort: Type.Optional(
    Type.Union(
      VENDOR_SORTS.map((sort) => Type.Literal(sort)),
      { errorMessage: `Vendors can be sorted by: ${VENDOR_SORTS.join(', ')}.` },
    ),
  ),
});

const VendorPageQuery = Type.Object({ ...PageQuery.properties, ...OrderingQuery.properties });

export const vendorRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/vendors', { schema: { querystring: VendorListQuery } }, async (request, reply) => {
    const page = request.query.page ?? 1;
    const name = (request.query.q ?? '').trim().slice(0, 60);
    const sort = request.query.sort ?? 'stories';
    const category = request.query.category ?? '';
    const rows = await listVendors(
      app.db,
      { name, category, sort, offset: offsetOf(page, VENDORS_PER_PAGE), limit: VENDORS_PER_PAGE },
      responseWindowStart(new Date()),
    );
    const vendors = toPage(rows, page, VENDORS_PER_PAGE);
    const params = new URLSearchParams();
    if (name) params.set('q', name);
    if (category) params.set('category', category);
    if (sort !== 'stories') params.set('sort', sort);
    const kept = params.toString();
    return reply.page('vendors/index', {
      title: 'Vendors',
      vendors: {
        ...vendors,
        items: vendors.items.map((vendor) => ({
          ...vendor,
          answers: responseFigures(vendor),
          verdict: verdict(vendor),
          bar: sentimentBar(vendor),
        })),
      },
      name,
      category,
      categories: VENDOR_CATEGORIES,
      sort,
      sorts: VENDOR_SORTS,
      pagePrefix: `/vendors?${kept ? `${kept}&` : ''}`,
    });
  });

  app.get(
    '/vendors/:slug',
    { schema: { params: SlugParams, querystring: VendorPageQuery } },
    async (request, reply) => {
      const vendor = await findVendorPage(app.db, request.params.slug);
      if (!vendor) return redirectMerged(app, reply, request.params.slug, '');
      const ordering = parseOrdering(request.query);
      const page = request.query.page ?? 1;
      const member = request.member;
      const [threads, profile, following] = await Promise.all([
        loadThreadList(
          app,
          { vendorId: vendor.id, sort: ordering.sort, period: ordering.period },
          page,
        ),
        findVendorProfile(app.db, vendor.id),
        member ? isFollowing(app.db, member.id, vendor.id) : false,
      ]);
      const path = `/vendors/${vendor.slug}`;
      return reply.page('vendors/show', {
        title: vendor.name,
        description: `What IT service providers say about ${vendor.name}'s partner program: ${vendor.story_count} ${vendor.story_count === 1 ? 'story' : 'stories'}, verdict: ${verdict(vendor).word.toLowerCase()}.`,
        vendor,
        aliases: vendor.aliases.map((alias) => alias.name),
        reputation: reputationView(vendor),
        profile,
        canEditProfile: mayEditVendorProfile(member, vendor.id),
        following,
        promises: promisedVersusDelivered(profile.tiers, vendor.tier_areas),
        threads,
        ordering,
        sortPath: path,
        pagePrefix: ordering.pagePrefix(path),
        feedUrl: `${path}/feed.atom`,
      });
    },
  );
};
