import { sql, type ExpressionBuilder } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { DB } from '../db/schema.js';
import { lastMonths } from './chart.js';

// What the vendor page and the directory say about how a vendor answers, from the figures kept
// on write (responses.ts): at most twelve month rows and a few day counts per vendor, whatever
// the number of stories.

/** A figure is shown only with at least this many stories behind it. */
export const MIN_RESPONSE_STORIES = 3;
export const RESPONSE_MONTHS = 12;

/** The first month of the window: the last twelve, this one included. */
export const responseWindowStart = (now: Date) => lastMonths(now, RESPONSE_MONTHS)[0]!;

/** The columns a vendor query adds for these figures: `represented`, `answers`, `answer_days`. */
export function responseColumns(eb: ExpressionBuilder<DB, 'vendors'>, since: string) {
  return [
    eb
      .exists(
        eb
          .selectFrom('representatives')
          .select(sql`1`.as('one'))
          .whereRef('representatives.vendor_id', '=', 'vendors.id'),
      )
      .as('represented'),
    // Summed here, one row per vendor rather than one per month: the directory shows fifty
    // vendors, and twelve months each made six hundred rows to build as JSON and parse again.
    jsonArrayFrom(
      eb
        .selectFrom('vendor_response_stats as rs')
        .select([
          sql<number>`coalesce(sum(rs.stories), 0)::int`.as('stories'),
          sql<number>`coalesce(sum(rs.answered), 0)::int`.as('answered'),
          sql<number>`coalesce(sum(rs.resolved), 0)::int`.as('resolved'),
          sql<number>`coalesce(sum(rs.not_resolved), 0)::int`.as('not_resolved'),
        ])
        .whereRef('rs.vendor_id', '=', 'vendors.id')
        .where('rs.month', '>=', since),
    ).as('answers'),
    jsonArrayFrom(
      eb
        .selectFrom('vendor_response_days as rd')
        .select(['rd.days', sql<number>`sum(rd.answers)::int`.as('answers')])
        .whereRef('rd.vendor_id', '=', 'vendors.id')
        .where('rd.month', '>=', since)
        .groupBy('rd.days'),
    ).as('answer_days'),
  ] as const;
}

interface ResponseRows {
  represented: boolean | number;
  answers: { stories: number; answered: number; resolved: number; not_resolved: number }[];
  answer_days: { days: number; answers: number }[];
}

/** The median of the days to an answer (half the answers came sooner), in whole days begun. */
export function medianDays(rows: { days: number; answers: number }[]): number | null {
  const sorted = rows.filter((row) => row.answers > 0).sort((a, b) => a.days - b.days);
  const total = sorted.reduce((sum, row) => sum + row.answers, 0);
  if (total === 0) return null;
  // The values at the two middle places (the same one for an odd count), averaged.
  const at = (place: number) => {
    let seen = 0;
    for (const row of sorted) {
      seen += row.answers;
      if (seen > place) return row.days;
    }
    return sorted[sorted.length - 1]!.days;
  };
  return Math.ceil((at(Math.floor((total - 1) / 2)) + at(Math.floor(total / 2))) / 2);
}

/** How the vendor answers, as the pages say it; each figure null below MIN_RESPONSE_STORIES. */
export function responseFigures(rows: ResponseRows) {
  const sum = (key: keyof ResponseRows['answers'][number]) =>
    rows.answers.reduce((total, row) => total + row[key], 0);
  const stories = sum('stories');
  const answered = sum('answered');
  const resolved = sum('resolved');
  const notResolved = sum('not_resolved');
  return {
    represented: Boolean(rows.represented),
    months: RESPONSE_MONTHS,
    minStories: MIN_RESPONSE_STORIES,
    stories,
    answered,
    rate: stories >= MIN_RESPONSE_STORIES ? Math.round((100 * answered) / stories) : null,
    medianDays: answered >= MIN_RESPONSE_STORIES ? medianDays(rows.answer_days) : null,
    resolution:
      answered >= MIN_RESPONSE_STORIES
        ? { resolved, notResolved, unmarked: answered - resolved - notResolved }
        : null,
  };
}

export type ResponseFigures = ReturnType<typeof responseFigures>;
