/** Below this many counted stories a vendor (or an area) shows "not enough stories yet". */
export const MIN_VOICES = 3;
/** A tier slice is shown only when at least this many distinct members stand behind it. */
export const MIN_SLICE_MEMBERS = 3;

const Z = 1.96; // 95% confidence

/**
 * The Wilson score lower bound of the positive share: the share of good experiences we can be
 * 95% sure of, given how few stories there may be. One good story scores 21, not 100; twenty
 * good out of twenty score 84. Mixed stories count half good, half bad.
 */
export function wilsonLowerBound(positive: number, total: number): number {
  if (total <= 0) return 0;
  const p = positive / total;
  const z2 = Z * Z;
  const centre = p + z2 / (2 * total);
  const margin = Z * Math.sqrt((p * (1 - p)) / total + z2 / (4 * total * total));
  return Math.max(0, (centre - margin) / (1 + z2 / total));
}

export interface Tally {
  good: number;
  mixed?: number;
  bad: number;
}

/** 0–100, or null when fewer than MIN_VOICES stand behind it. */
export function reputationScore(tally: Tally): number | null {
  const mixed = tally.mixed ?? 0;
  const total = tally.good + mixed + tally.bad;
  if (total < MIN_VOICES) return null;
  return Math.round(100 * wilsonLowerBound(tally.good + mixed / 2, total));
}

/** The upper end of the same 95% Wilson interval: the best share we cannot rule out. */
export function wilsonUpperBound(positive: number, total: number): number {
  if (total <= 0) return 1;
  const p = positive / total;
  const z2 = Z * Z;
  const centre = p + z2 / (2 * total);
  const margin = Z * Math.sqrt((p * (1 - p)) / total + z2 / (4 * total * total));
  return Math.min(1, (centre + margin) / (1 + z2 / total));
}

export type VerdictBand = 'mostly-good' | 'mixed' | 'mostly-bad' | 'too-few';

/**
 * The verdict beside the score, by the 95% interval of the good share (mixed counting half):
 * "mostly good" when even its lower end is at least half, "mostly bad" when even its upper end
 * is at most half, "mixed" when partners' experiences could lie either side; "too few stories"
 * below MIN_VOICES. So a verdict never claims more than the stories behind it can carry
 * (/about/scores says it in plain words).
 */
export function verdict(tally: Tally): { band: VerdictBand; word: string } {
  const mixed = tally.mixed ?? 0;
  const total = tally.good + mixed + tally.bad;
  if (total < MIN_VOICES) return { band: 'too-few', word: 'Not enough stories yet' };
  const positive = tally.good + mixed / 2;
  if (wilsonLowerBound(positive, total) >= 0.5) return { band: 'mostly-good', word: 'Mostly good' };
  if (wilsonUpperBound(positive, total) <= 0.5) return { band: 'mostly-bad', word: 'Mostly bad' };
  return { band: 'mixed', word: 'Mixed' };
}
