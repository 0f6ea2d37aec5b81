import { Type, type Static } from '@sinclair/typebox';
import { SORTS, TOP_PERIODS, type Sort, type TopPeriod } from './ranking.js';

/**
 * `?sort=hot|new|top` and, for top, `?t=week|month|year|all`. A route merges these properties
 * into its querystring schema (`{ ...PageQuery.properties, ...OrderingQuery.properties }`).
 */
export const OrderingQuery = Type.Object({
  sort: Type.Optional(
    Type.Union(
      SORTS.map((sort) => Type.Literal(sort)),
      { errorMessage: `Stories can be sorted by: ${SORTS.join(', ')}.` },
    ),
  ),
  t: Type.Optional(
    Type.Union(
      TOP_PERIODS.map((period) => Type.Literal(period)),
      { errorMessage: `Top stories are of the: ${TOP_PERIODS.join(', ')}.` },
    ),
  ),
});
export type OrderingValues = Static<typeof OrderingQuery>;

export interface Ordering {
  sort: Sort;
  period: TopPeriod;
  /** The query string that keeps this ordering across pages, ending in "?" or "&". */
  pagePrefix: (path: string) => string;
}

/** The ordering a checked query asks for: `defaultSort` when none, top of all time by default. */
export function parseOrdering(query: OrderingValues, defaultSort: Sort = 'hot'): Ordering {
  const sort = query.sort ?? defaultSort;
  const period = query.t ?? 'all';
  const params = new URLSearchParams();
  if (sort !== defaultSort) params.set('sort', sort);
  if (sort === 'top' && period !== 'all') params.set('t', period);
  const kept = params.toString();
  return { sort, period, pagePrefix: (path) => `${path}?${kept ? `${kept}&` : ''}` };
}
