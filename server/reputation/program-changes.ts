import { TREND_MONTHS, lastMonths } from './chart.js';
import { reputationScore } from './score.js';

// Program changes on a vendor's page: each with the vendor's score over the six months before
// and the six months after it (its own month among the after), from the month aggregates the
// page reads anyway, and as a marker on the trend chart when it falls within its 24 months.

export const AROUND_MONTHS = 6;
const CHART_WIDTH = 720;
const SLOT = CHART_WIDTH / TREND_MONTHS;

interface ChangeRow {
  changed_on: string;
  summary: string;
  source_url: string | null;
  recorded_by: string;
  as_representative: boolean;
}

interface MonthRow {
  month: string; // YYYY-MM-01
  good: number;
  mixed: number;
  bad: number;
}

/** The first day of the month `offset` months after `month` (YYYY-MM-01). */
function shiftMonth(month: string, offset: number): string {
  const [year, mon] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, mon - 1 + offset, 1)).toISOString().slice(0, 10);
}

function scoreBetween(months: MonthRow[], from: string, to: string) {
  const tally = { good: 0, mixed: 0, bad: 0 };
  for (const row of months) {
    if (row.month < from || row.month >= to) continue;
    tally.good += row.good;
    tally.mixed += row.mixed;
    tally.bad += row.bad;
  }
  return {
    stories: tally.good + tally.mixed + tally.bad,
    score: reputationScore(tally),
  };
}

export function programChangesView(changes: ChangeRow[], months: MonthRow[], now = new Date()) {
  const shown = lastMonths(now);
  return changes.map((change) => {
    const month = `${change.changed_on.slice(0, 7)}-01`;
    const index = shown.indexOf(month);
    return {
      date: change.changed_on,
      summary: change.summary,
      sourceUrl: change.source_url,
      recordedBy: change.recorded_by,
      byRepresentative: change.as_representative,
      before: scoreBetween(months, shiftMonth(month, -AROUND_MONTHS), month),
      after: scoreBetween(months, month, shiftMonth(month, AROUND_MONTHS)),
      /** Where the chart marks it, or null outside its months. */
      marker: index < 0 ? null : { x: Math.round(index * SLOT + SLOT / 2) },
    };
  });
}
