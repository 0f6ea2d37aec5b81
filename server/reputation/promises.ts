import { SUPPORT_AREAS } from '../posts/vocabulary.js';
import { MIN_SLICE_MEMBERS } from './score.js';

// Promised versus delivered: for each tier of a vendor's program and each support area, what the
// tier promises (from the vendor's profile) beside what partners of that tier report in their
// counted stories (a good rating: delivered; bad: not delivered). Numbers only where at least
// MIN_SLICE_MEMBERS members stand behind a cell, as for the tier slices: a smaller cell could name
// them. Every counted story about a vendor is a distinct member's voice.

export type PromiseState = 'promised' | 'not-promised' | 'unknown';

interface Tier {
  label: string;
  /** The tier's key as stories store theirs (threads.tier_key). */
  key: string;
  promises: Partial<Record<string, 'promised' | 'not-promised'>>;
}

interface TierAreaRow {
  tier_key: string;
  area: string;
  good: number;
  bad: number;
}

const PROMISE_LABELS: Record<PromiseState, string> = {
  promised: 'Promised',
  'not-promised': 'Not promised',
  unknown: 'Promise unknown',
};

/** The table, one row per area and one column per tier in the program's order. */
export function promisedVersusDelivered(tiers: Tier[], rows: TierAreaRow[]) {
  const byCell = new Map(rows.map((row) => [`${row.tier_key}|${row.area}`, row]));
  return {
    tiers: tiers.map((tier) => tier.label),
    minMembers: MIN_SLICE_MEMBERS,
    areas: SUPPORT_AREAS.map((area) => ({
      label: area.label,
      cells: tiers.map((tier) => {
        const row = byCell.get(`${tier.key}|${area.key}`) ?? { good: 0, bad: 0 };
        const members = row.good + row.bad;
        const promise: PromiseState = tier.promises[area.key] ?? 'unknown';
        return {
          promise,
          promiseLabel: PROMISE_LABELS[promise],
          /** Null below MIN_SLICE_MEMBERS: "too few reports". */
          reported:
            members >= MIN_SLICE_MEMBERS
              ? `${row.bad} of ${members} ${tier.label} partners say not delivered`
              : null,
          /** A promise most reporting partners say was not kept: the cell stands out. */
          broken: promise === 'promised' && members >= MIN_SLICE_MEMBERS && row.bad * 2 > members,
        };
      }),
    })),
  };
}
