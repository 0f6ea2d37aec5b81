import type { Kysely } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { DB } from '../db/schema.js';
import { prepared } from '../db/prepared.js';
import { AREA_LABELS, SUPPORT_AREAS } from '../posts/vocabulary.js';
import { lastMonths, trendChart } from './chart.js';
import { responseColumns, responseFigures, responseWindowStart } from './response-figures.js';
import { MIN_SLICE_MEMBERS, MIN_VOICES, reputationScore, verdict } from './score.js';
import { barSegments } from './bars.js';
import { programChangesView } from './program-changes.js';

/**
 * A vendor with everything its page shows about its reputation, read in one query from the
 * maintained aggregates: the same cost with ten stories or a hundred thousand behind them.
 */
export async function findVendorPage(db: Kysely<DB>, slug: string, now = new Date()) {
  const [vendor] = await vendorPageQuery(db, {
    slug,
    since: lastMonths(now)[0]!,
    answersSince: responseWindowStart(now),
  });
  return vendor;
}

/** Built and compiled once: building it cost more than PostgreSQL's time to answer it. */
const vendorPageQuery = prepared(
  (db, { slug, since, answersSince }: { slug: string; since: string; answersSince: string }) =>
    db
      .selectFrom('vendors')
      .select(['id', 'name', 'slug', 'story_count', 'voices', 'good', 'mixed', 'bad', 'reputation'])
      .select((eb) => [
        jsonArrayFrom(
          eb
            .selectFrom('vendor_names')
            .select('vendor_names.name')
            .whereRef('vendor_names.vendor_id', '=', 'vendors.id')
            .whereRef('vendor_names.name', '!=', 'vendors.name')
            .orderBy('vendor_names.name'),
        ).as('aliases'),
        jsonArrayFrom(
          eb
            .selectFrom('vendor_area_stats')
            .select(['area', 'vendor_area_stats.good', 'vendor_area_stats.bad'])
            .whereRef('vendor_area_stats.vendor_id', '=', 'vendors.id'),
        ).as('areas'),
        jsonArrayFrom(
          eb
            .selectFrom('vendor_tier_stats')
            .leftJoin('partner_tiers', 'partner_tiers.tier_key', 'vendor_tier_stats.tier_key')
            .select([
              'vendor_tier_stats.tier_key',
              'partner_tiers.label',
              'vendor_tier_stats.good',
              'vendor_tier_stats.mixed',
              'vendor_tier_stats.bad',
            ])
            .whereRef('vendor_tier_stats.vendor_id', '=', 'vendors.id'),
        ).as('tiers'),
        jsonArrayFrom(
          eb
            .selectFrom('vendor_month_stats')
            .select(['month', 'vendor_month_stats.good', 'vendor_month_stats.bad'])
            .whereRef('vendor_month_stats.vendor_id', '=', 'vendors.id')
            .where('month', '>=', since),
        ).as('months'),
        ...responseColumns(eb, answersSince),
        // Every month with stories, for the scores around program changes (a few dozen rows).
        jsonArrayFrom(
          eb
            .selectFrom('vendor_month_stats as ms')
            .select(['ms.month', 'ms.good', 'ms.mixed', 'ms.bad'])
            .whereRef('ms.vendor_id', '=', 'vendors.id'),
        ).as('all_months'),
        jsonArrayFrom(
          eb
            .selectFrom('vendor_program_changes as pc')
            .select([
              'pc.changed_on',
              'pc.summary',
              'pc.source_url',
              'pc.recorded_by',
              'pc.as_representative',
            ])
            .whereRef('pc.vendor_id', '=', 'vendors.id')
            .orderBy('pc.changed_on', 'desc')
            .orderBy('pc.id', 'desc')
            .limit(20),
        ).as('program_changes'),
        jsonArrayFrom(
          eb
            .selectFrom('vendor_tier_area_stats as ta')
            .select(['ta.tier_key', 'ta.area', 'ta.good', 'ta.bad'])
            .whereRef('ta.vendor_id', '=', 'vendors.id'),
        ).as('tier_areas'),
      ])
      .where('slug', '=', slug),
);

export type VendorPage = NonNullable<Awaited<ReturnType<typeof findVendorPage>>>;

/** What the page shows of a vendor's reputation, worked out from the row above. */
export function reputationView(vendor: VendorPage, now = new Date()) {
  const areaByKey = new Map(vendor.areas.map((row) => [row.area, row]));
  const counts = { good: vendor.good, mixed: vendor.mixed, bad: vendor.bad };
  return {
    score: vendor.reputation,
    voices: vendor.voices,
    enough: vendor.voices >= MIN_VOICES,
    minVoices: MIN_VOICES,
    counts,
    verdict: verdict(counts),
    bar: sentimentBar(counts),
    areas: SUPPORT_AREAS.map(({ key }) => {
      const row = areaByKey.get(key) ?? { good: 0, bad: 0 };
      return {
        key,
        label: AREA_LABELS[key]!,
        good: row.good,
        bad: row.bad,
        ratings: row.good + row.bad,
        score: reputationScore(row),
        bar: barSegments([
          { kind: 'good', count: row.good },
          { kind: 'bad', count: row.bad },
        ]),
      };
    }),
    tiers: tierSlices(vendor.tiers),
    trend: trendChart(vendor.months, now),
    answers: responseFigures(vendor),
    changes: programChangesView(vendor.program_changes, vendor.all_months, now),
  };
}

interface TierRow {
  tier_key: string;
  label: string | null;
  good: number;
  mixed: number;
  bad: number;
}

/**
 * Tier slices with at least MIN_SLICE_MEMBERS members behind them; the rest fold into one
 * "other or unstated tiers" slice, itself shown only when it is as large: a smaller slice could
 * name its members. Every counted story is a distinct member (one voice per member per vendor).
 */
export function tierSlices(rows: TierRow[]) {
  const withSize = rows
    .map((row) => ({ ...row, members: row.good + row.mixed + row.bad }))
    .filter((row) => row.members > 0);
  const shown = withSize
    .filter((row) => row.tier_key !== '' && row.members >= MIN_SLICE_MEMBERS)
    .sort((a, b) => b.members - a.members)
    .map((row) => ({
      label: `${row.label ?? row.tier_key} partners`,
      good: row.good,
      mixed: row.mixed,
      bad: row.bad,
      members: row.members,
    }));
  const rest = withSize.filter((row) => row.tier_key === '' || row.members < MIN_SLICE_MEMBERS);
  const other = rest.reduce(
    (sum, row) => ({
      good: sum.good + row.good,
      mixed: sum.mixed + row.mixed,
      bad: sum.bad + row.bad,
      members: sum.members + row.members,
    }),
    { good: 0, mixed: 0, bad: 0, members: 0 },
  );
  if (other.members >= MIN_SLICE_MEMBERS && shown.length > 0) {
    shown.push({ label: 'Other or unstated tiers', ...other });
  }
  return shown;
}

/** The good / mixed / bad bar of a vendor's counted stories. */
export function sentimentBar(counts: { good: number; mixed: number; bad: number }) {
  return barSegments([
    { kind: 'good', count: counts.good },
    { kind: 'mixed', count: counts.mixed },
    { kind: 'bad', count: counts.bad },
  ]);
}
