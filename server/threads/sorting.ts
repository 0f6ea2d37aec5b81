import type { FastifyRequest } from 'fastify';
import { HttpError } from '../http-errors.js';
import { SORTS, TOP_PERIODS, type Sort, type TopPeriod } from './ranking.js';

export interface Ordering {
  sort: Sort;
  period: TopPeriod;
  /** The query string that keeps this ordering across pages, ending in "?" or "&". */
  pagePrefix: (path: string) => string;
}

/** `?sort=hot|new|top` (hot by default) and, for top, `?t=week|month|year|all` (all by default). */
export function parseOrdering(request: FastifyRequest, defaultSort: Sort = 'hot'): Ordering {
  const query = request.query as Record<string, unknown>;
  const sort = (query.sort ?? defaultSort) as Sort;
  const period = (query.t ?? 'all') as TopPeriod;
  if (!SORTS.includes(sort))
    throw new HttpError(400, `Stories can be sorted by: ${SORTS.join(', ')}.`);
  if (!TOP_PERIODS.includes(period))
    throw new HttpError(400, `Top stories are of the: ${TOP_PERIODS.join(', ')}.`);
  const params = new URLSearchParams();
  if (sort !== defaultSort) params.set('sort', sort);
  if (sort === 'top' && period !== 'all') params.set('t', period);
  const kept = params.toString();
  return { sort, period, pagePrefix: (path) => `${path}?${kept ? `${kept}&` : ''}` };
}
