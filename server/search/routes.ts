import { Type, type FastifyPluginAsyncTypebox, type Static } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { DB } from '../db/schema.js';
import { HttpError } from '../http-errors.js';
import { offsetOf, toPage } from '../pagination.js';
import { AREA_RATINGS, SENTIMENTS, SUPPORT_AREAS } from '../posts/vocabulary.js';
import { withAuthor } from '../posts/authors.js';
import { PageQuery } from '../schemas.js';
import { tierMatchKey } from '../vendors/names.js';
import { findVendorByNameOrSlug } from '../vendors/queries.js';
import {
  isStatementTimeout,
  RANKED,
  search,
  snippetParts,
  type SearchFilter,
  type SearchResult,
  type WordsProblem,
} from './queries.js';
import { assignSearchShare, SearchBusyError, SearchShare } from './share.js';

const PER_PAGE = 20;
/** The RANKED best results: past that, narrowing helps a reader more than paging. */
export const MAX_PAGE = RANKED / PER_PAGE;
/** "discounts:bad": a support area, then good or bad, as the form's choices name them. */
const AREA_FILTERS = new Map(
  SUPPORT_AREAS.flatMap(({ key }) =>
    AREA_RATINGS.map((rating) => [`${key}:${rating}`, { key, rating }] as const),
  ),
);

const SearchQuery = Type.Object({
  ...PageQuery.properties,
  q: Type.Optional(Type.String()),
  vendor: Type.Optional(Type.String()),
  sentiment: Type.Optional(
    Type.Union(
      SENTIMENTS.map(({ key }) => Type.Literal(key)),
      { errorMessage: 'Sentiment is good, mixed or bad.' },
    ),
  ),
  area: Type.Optional(
    Type.Union(
      [...AREA_FILTERS.keys()].map((area) => Type.Literal(area)),
      {
        errorMessage:
          'An area filter looks like "discounts:bad": a support area, then good or bad.',
      },
    ),
  ),
  tier: Type.Optional(Type.String()),
});
type SearchQuery = Static<typeof SearchQuery>;

const MESSAGES = {
  deep: `Search shows the first ${MAX_PAGE} pages of results. Add words or a vendor to narrow it.`,
  'no-words':
    'Those words are too common to search for (or have no letters or digits). Add a more specific word.',
  'exclusions-only':
    'Add a word to look for: -words only leave things out of a search, they cannot make one.',
  busy: 'Too many searches are running right now. Please try again in a moment; the rest of the forum works as usual.',
  slow: 'This search took too long; narrow it (add words or a vendor) and try again.',
} as const;

type SearchForm = Record<'q' | 'vendor' | 'sentiment' | 'area' | 'tier', string>;

/** The form as the page shows it again: the words and names trimmed, words and vendor to 200. */
function readForm(query: SearchQuery): SearchForm {
  return {
    q: (query.q ?? '').trim().slice(0, 200),
    vendor: (query.vendor ?? '').trim().slice(0, 200),
    sentiment: query.sentiment ?? '',
    area: query.area ?? '',
    tier: (query.tier ?? '').trim(),
  };
}

function filterOf(form: SearchForm, query: SearchQuery): SearchFilter {
  const filter: SearchFilter = { words: form.q, offset: 0, limit: PER_PAGE };
  if (query.sentiment) filter.sentiment = query.sentiment;
  if (query.area) filter.area = AREA_FILTERS.get(query.area);
  if (form.tier) filter.tierKey = tierMatchKey(form.tier);
  return filter;
}

/** Why a search was not answered: no free slot in the search share, or the timeout. */
type Refusal = 'busy' | 'slow';
const REFUSAL_LOGS: Record<Refusal, string> = {
  busy: 'search shed: no free search slot',
  slow: 'search timed out',
};

/**
 * /search: words, "phrases" and -exclusions, with vendor, sentiment, area and tier filters, and
 * above the posts the vendors whose names the words match. The vendor filter takes a vendor's
 * name or alias, or its address (vendor pages link with it), and suggests names. Searches are the forum's most expensive reads, so they get a share of their own: a rate limit
 * per address, a few at a time (SearchShare), a statement timeout, no words-to-leave-out-only
 * queries and no page past MAX_PAGE. Whatever is refused keeps the form filled in.
 */
export const searchRoutes: FastifyPluginAsyncTypebox<{ config: Readonly<Config> }> = async (
  app,
  { config },
) => {
  const limits = config.search;
  const share = new SearchShare({
    // The embedded database is one connection: a second search would only wait on it, ahead of
    // the page queries that come after it.
    concurrency: app.database.kind === 'pglite' ? 1 : limits.concurrency,
    queue: limits.queue,
    maxWaitMs: limits.timeoutMs,
  });
  assignSearchShare(app.db, share);
  const retryAfter = String(Math.max(1, Math.ceil(limits.timeoutMs / 1000)));

  app.get(
    '/search',
    {
      config: { rateLimit: searchRateLimit(limits.rateLimit) },
      schema: { querystring: SearchQuery },
    },
    async (request, reply) => {
      const form = readForm(request.query);
      const filter = filterOf(form, request.query);
      const [vendor, suggestions] = await Promise.all([
        form.vendor ? findVendorByNameOrSlug(app.db, form.vendor) : undefined,
        app.vendorSuggestions(),
      ]);
      if (vendor) filter.vendorId = vendor.id;

      const searching = Boolean(form.q || form.vendor || form.sentiment || form.area || form.tier);
      const page = request.query.page ?? 1;
      const shown = { form, vendor, suggestions, page };
      const show = (status: number, result: SearchResult, error?: string, vendorError?: string) =>
        showResults(reply, { ...shown, searching, result, error, vendorError }, status);
      // A 404: no vendor has that name or address. But it comes with the search page and the form
      // as filled in, not an error page: the name may be one typo away from a suggested one.
      if (form.vendor && !vendor) return show(404, NOTHING, undefined, unknownVendor(form.vendor));
      if (page > MAX_PAGE) return show(400, NOTHING, MESSAGES.deep);
      if (!searching) return show(200, NOTHING);

      const outcome = await runSearch(app.db, share, limits.timeoutMs, {
        ...filter,
        offset: offsetOf(page, PER_PAGE),
      });
      if (outcome === 'busy' || outcome === 'slow') {
        request.log.warn(REFUSAL_LOGS[outcome]);
        reply.header('retry-after', retryAfter);
        return show(503, NOTHING, MESSAGES[outcome]);
      }
      if (typeof outcome === 'string') return show(400, NOTHING, MESSAGES[outcome]);
      return show(200, outcome);
    },
  );
};

function unknownVendor(name: string): string {
  return `No vendor is called "${name}". Check the spelling, or pick one of the suggested names.`;
}

/** Searches' own limit per address, a minute at a time, with a message of its own. */
function searchRateLimit(max: number) {
  return {
    max,
    timeWindow: 60_000,
    errorResponseBuilder: (_request: unknown, context: { after: string }) =>
      new HttpError(
        429,
        `Too many searches from your address. Please wait ${context.after} and try again.`,
      ),
  };
}

/** A search in the search share, under the statement timeout: its hits, or why there are none. */
async function runSearch(
  db: Kysely<DB>,
  share: SearchShare,
  timeoutMs: number,
  filter: SearchFilter,
): Promise<SearchResult | WordsProblem | Refusal> {
  try {
    return await share.run(() => search(db, timeoutMs, filter));
  } catch (error) {
    if (error instanceof SearchBusyError) return 'busy';
    if (isStatementTimeout(error)) return 'slow';
    throw error;
  }
}

interface Shown {
  form: SearchForm;
  /** The vendor the filter names, found by its name or address. */
  vendor: { name: string; slug: string } | undefined;
  /** Vendor names for the filter's datalist. */
  suggestions: readonly string[];
  searching: boolean;
  page: number;
  result: SearchResult;
  error?: string;
  vendorError?: string;
}

const NOTHING: SearchResult = { vendors: [], hits: [], ranked: 0, capped: false };

function showResults(reply: FastifyReply, shown: Shown, status: number) {
  const { form, page, error } = shown;
  const results = error
    ? { items: [], page, hasPrevious: false, hasNext: false }
    : toPage(shown.result.hits, page, PER_PAGE);
  const atLimit = page >= MAX_PAGE && (results.hasNext || shown.result.capped);
  // The field shows the vendor's name; the page's links keep its address, which no alias added
  // later can make ambiguous.
  const vendor = shown.vendor;
  const linked = vendor ? { ...form, vendor: vendor.slug } : form;
  const params = new URLSearchParams(Object.entries(linked).filter(([, value]) => value !== ''));
  return reply.page(
    'search/index',
    {
      title: form.q ? `Search: ${form.q}` : 'Search',
      form: vendor ? { ...form, vendor: vendor.name } : form,
      searching: shown.searching && !error && !shown.vendorError,
      error,
      vendorError: shown.vendorError,
      vendorSuggestions: shown.suggestions,
      vendorMatches: shown.result.vendors,
      atLimit,
      maxPage: MAX_PAGE,
      ranked: shown.result.ranked,
      capped: shown.result.capped,
      shownAtMost: RANKED,
      vendor,
      results: {
        ...results,
        hasNext: results.hasNext && !atLimit,
        items: results.items.map((hit) => ({
          ...withAuthor(hit),
          snippet: snippetParts(hit),
        })),
      },
      sentiments: SENTIMENTS,
      areas: SUPPORT_AREAS,
      pagePrefix: `/search?${params.toString() ? `${params.toString()}&` : ''}`,
    },
    status,
  );
}
