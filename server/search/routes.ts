import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../config.js';
import type { Sentiment } from '../posts/vocabulary.js';
import { HttpError } from '../http-errors.js';
import { offsetOf, pageNumber, toPage } from '../pagination.js';
import { AREA_LABELS, SENTIMENTS, SUPPORT_AREAS } from '../posts/vocabulary.js';
import { withAuthor } from '../posts/authors.js';
import { tierMatchKey } from '../vendors/names.js';
import { findVendorBySlug } from '../vendors/queries.js';
import {
  checkWords,
  isStatementTimeout,
  search,
  snippetParts,
  withStatementTimeout,
  type SearchFilter,
  type SearchHit,
  type WordsProblem,
} from './queries.js';
import { assignSearchShare, SearchBusyError, SearchShare } from './share.js';

const PER_PAGE = 20;
/** 1,000 results: past that, narrowing helps a reader more than paging, and costs far less. */
export const MAX_PAGE = 50;
const SENTIMENT_KEYS = SENTIMENTS.map((s) => s.key) as string[];

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

function readForm(query: Record<string, unknown>): SearchForm {
  const text = (name: string) =>
    typeof query[name] === 'string' ? (query[name] as string).trim() : '';
  return {
    q: text('q').slice(0, 200),
    vendor: text('vendor'),
    sentiment: text('sentiment'),
    area: text('area'),
    tier: text('tier'),
  };
}

/** The filters of a form, or a 400 error for a sentiment or area that does not exist. */
function filterOf(form: SearchForm): SearchFilter {
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
  return filter;
}

/**
 * /search: words, "phrases" and -exclusions, with vendor, sentiment, area and tier filters.
 * Searches are the forum's most expensive reads, so they get a share of their own: a rate limit
 * per address, a few at a time (SearchShare), a statement timeout, no words-to-leave-out-only
 * queries and no page past MAX_PAGE. Whatever is refused keeps the form filled in.
 */
export async function searchRoutes(app: FastifyInstance, { config }: { config: Readonly<Config> }) {
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

  const rateLimit = {
    max: limits.rateLimit,
    timeWindow: 60_000,
    errorResponseBuilder: (_request: unknown, context: { after: string }) =>
      new HttpError(
        429,
        `Too many searches from your address. Please wait ${context.after} and try again.`,
      ),
  };

  app.get('/search', { config: { rateLimit } }, async (request, reply) => {
    const form = readForm(request.query as Record<string, unknown>);
    const filter = filterOf(form);
    const vendor = form.vendor ? await findVendorBySlug(app.db, form.vendor) : undefined;
    if (form.vendor && !vendor) throw new HttpError(404, 'There is no vendor with that address.');
    if (vendor) filter.vendorId = vendor.id;

    const searching = Boolean(form.q || form.vendor || form.sentiment || form.area || form.tier);
    const page = pageNumber(request.query);
    const show = (status: number, rows: SearchHit[], error?: string) =>
      showResults(reply, { form, vendor, searching, page, rows, error }, status);
    if (page > MAX_PAGE) return show(400, [], MESSAGES.deep);
    if (!searching) return show(200, []);

    let outcome: SearchHit[] | WordsProblem;
    try {
      outcome = await share.run(() =>
        withStatementTimeout(app.db, limits.timeoutMs, async (trx) => {
          const problem = filter.words ? await checkWords(trx, filter.words) : null;
          return problem ?? search(trx, { ...filter, offset: offsetOf(page, PER_PAGE) });
        }),
      );
    } catch (error) {
      const shed = error instanceof SearchBusyError;
      if (!shed && !isStatementTimeout(error)) throw error;
      request.log.warn(shed ? 'search shed: no free search slot' : 'search timed out');
      reply.header('retry-after', retryAfter);
      return show(503, [], shed ? MESSAGES.busy : MESSAGES.slow);
    }
    if (typeof outcome === 'string') return show(400, [], MESSAGES[outcome]);
    return show(200, outcome);
  });
}

interface Shown {
  form: SearchForm;
  vendor: { name: string } | undefined;
  searching: boolean;
  page: number;
  rows: SearchHit[];
  error?: string;
}

function showResults(reply: FastifyReply, shown: Shown, status: number) {
  const { form, page, error } = shown;
  const results = error
    ? { items: [], page, hasPrevious: false, hasNext: false }
    : toPage(shown.rows, page, PER_PAGE);
  const atLimit = results.hasNext && page >= MAX_PAGE;
  const params = new URLSearchParams(Object.entries(form).filter(([, value]) => value !== ''));
  return reply.page(
    'search/index',
    {
      title: form.q ? `Search: ${form.q}` : 'Search',
      form,
      searching: shown.searching && !error,
      error,
      atLimit,
      maxPage: MAX_PAGE,
      vendor: shown.vendor,
      results: {
        ...results,
        hasNext: results.hasNext && !atLimit,
        items: results.items.map((hit) => ({
          ...withAuthor(hit),
          snippet: snippetParts(hit.snippet ?? ''),
        })),
      },
      sentiments: SENTIMENTS,
      areas: SUPPORT_AREAS,
      pagePrefix: `/search?${params.toString() ? `${params.toString()}&` : ''}`,
    },
    status,
  );
}
