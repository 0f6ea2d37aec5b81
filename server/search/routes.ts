import type { FastifyInstance } from 'fastify';
import type { Sentiment } from '../db/schema.js';
import { HttpError } from '../http-errors.js';
import { offsetOf, pageNumber, toPage } from '../pagination.js';
import { AREA_LABELS, SENTIMENTS, SUPPORT_AREAS } from '../threads/areas.js';
import { withAuthor } from '../threads/authors.js';
import { tierMatchKey } from '../vendors/names.js';
import { findVendorBySlug } from '../vendors/queries.js';
import { search, snippetParts, type SearchFilter } from './queries.js';

const PER_PAGE = 20;
const SENTIMENT_KEYS = SENTIMENTS.map((s) => s.key) as string[];

/** /search: words, "phrases" and -exclusions, with vendor, sentiment, area and tier filters. */
export async function searchRoutes(app: FastifyInstance) {
  app.get('/search', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const text = (name: string) =>
      typeof query[name] === 'string' ? (query[name] as string).trim() : '';
    const form = {
      q: text('q').slice(0, 200),
      vendor: text('vendor'),
      sentiment: text('sentiment'),
      area: text('area'),
      tier: text('tier'),
    };
    const filter: SearchFilter = { words: form.q, offset: 0, limit: PER_PAGE };

    if (form.sentiment) {
      if (!SENTIMENT_KEYS.includes(form.sentiment))
        throw new HttpError(400, 'Sentiment is good, mixed or bad.');
      filter.sentiment = form.sentiment as Sentiment;
    }
    if (form.area) {
      const [key, rating] = form.area.split(':');
      if (!key || !AREA_LABELS[key] || (rating !== 'good' && rating !== 'bad')) {
        throw new HttpError(
          400,
          'An area filter looks like "discounts:bad": a support area, then good or bad.',
        );
      }
      filter.area = { key, rating };
    }
    if (form.tier) filter.tierKey = tierMatchKey(form.tier);
    const vendor = form.vendor ? await findVendorBySlug(app.db, form.vendor) : undefined;
    if (form.vendor && !vendor) throw new HttpError(404, 'There is no vendor with that address.');
    if (vendor) filter.vendorId = vendor.id;

    const searching = Boolean(form.q || form.vendor || form.sentiment || form.area || form.tier);
    const page = pageNumber(request.query);
    const rows = searching
      ? await search(app.db, { ...filter, offset: offsetOf(page, PER_PAGE) })
      : [];
    const results = toPage(rows, page, PER_PAGE);
    const params = new URLSearchParams(Object.entries(form).filter(([, value]) => value !== ''));
    return reply.page('search/index', {
      title: form.q ? `Search: ${form.q}` : 'Search',
      form,
      searching,
      vendor,
      results: {
        ...results,
        items: results.items.map((hit) => ({
          ...withAuthor(hit),
          snippet: snippetParts(hit.snippet ?? ''),
        })),
      },
      sentiments: SENTIMENTS,
      areas: SUPPORT_AREAS,
      pagePrefix: `/search?${params.toString() ? `${params.toString()}&` : ''}`,
    });
  });
}
