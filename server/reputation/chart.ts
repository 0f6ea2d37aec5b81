// The trend chart of a vendor page: good and bad counted stories per month, last 24 months,
// drawn as inline SVG on the server (no script needed). Geometry is worked out here so the
// template only places rectangles.

export const TREND_MONTHS = 24;
const WIDTH = 720;
const HEIGHT = 180;
const PADDING_BOTTOM = 22;
const SLOT = WIDTH / TREND_MONTHS;
const BAR = SLOT / 2 - 2;

export interface MonthTally {
  month: string; // YYYY-MM-01
  good: number;
  bad: number;
}

/** The first days of the last `count` months up to and including `now`'s, oldest first. */
export function lastMonths(now: Date, count = TREND_MONTHS): string[] {
  const months: string[] = [];
  for (let back = count - 1; back >= 0; back--) {
    const date = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
    months.push(date.toISOString().slice(0, 10));
  }
  return months;
}

export function trendChart(rows: MonthTally[], now = new Date()) {
  const byMonth = new Map(rows.map((row) => [row.month, row]));
  const months = lastMonths(now).map((month) => ({
    month,
    good: byMonth.get(month)?.good ?? 0,
    bad: byMonth.get(month)?.bad ?? 0,
  }));
  const peak = Math.max(1, ...months.map((m) => Math.max(m.good, m.bad)));
  const plot = HEIGHT - PADDING_BOTTOM;
  const height = (count: number) => Math.round((count / peak) * (plot - 10));
  return {
    width: WIDTH,
    height: HEIGHT,
    baseline: plot,
    peak,
    empty: months.every((m) => m.good === 0 && m.bad === 0),
    months: months.map((m, index) => {
      const x = Math.round(index * SLOT + 2);
      return {
        ...m,
        label: monthLabel(m.month),
        goodX: x,
        badX: x + BAR + 1,
        barWidth: Math.floor(BAR),
        goodHeight: height(m.good),
        badHeight: height(m.bad),
        goodY: plot - height(m.good),
        badY: plot - height(m.bad),
        tick: index % 3 === 1 ? { x: x + BAR, text: monthLabel(m.month) } : null,
      };
    }),
  };
}

const MONTH_NAMES = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
];

function monthLabel(month: string): string {
  return `${MONTH_NAMES[Number(month.slice(5, 7)) - 1]} ${month.slice(2, 4)}`;
}
