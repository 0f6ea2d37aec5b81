import { sql, type RawBuilder } from 'kysely';

/**
 * "Hot", in the spirit of Hacker News and reddit: a story's rank is the order of magnitude of its
 * score plus its age in units of 12.5 hours, so ten times the votes keep a story level with one
 * 12.5 hours younger. Rank = sign(score) · log10(max(|score|, 1)) + (posted − 2026-01-01) / 45000 s.
 * It depends only on the score and the posting time, so it is stored with the score and read
 * through an index; newer stories overtake older ones as time passes without rewriting any row.
 */
export const HOT_EPOCH = 1767225600; // 2026-01-01T00:00:00Z
export const HOT_SECONDS_PER_DECADE = 45000;

export function hotRank(score: number, postedAt: Date): number {
  const order = Math.log10(Math.max(Math.abs(score), 1));
  return (
    Math.sign(score) * order + (postedAt.getTime() / 1000 - HOT_EPOCH) / HOT_SECONDS_PER_DECADE
  );
}

/** The same in SQL, for a score and a posting time given as SQL. */
export function hotRankSql(
  score: RawBuilder<number> | number,
  postedAt: RawBuilder<Date>,
): RawBuilder<number> {
  return sql<number>`(sign(${score}) * log(greatest(abs(${score}), 1)) + (extract(epoch from ${postedAt}) - ${HOT_EPOCH}) / ${HOT_SECONDS_PER_DECADE})`;
}

export const SORTS = ['hot', 'new', 'top'] as const;
export type Sort = (typeof SORTS)[number];
export const TOP_PERIODS = ['week', 'month', 'year', 'all'] as const;
export type TopPeriod = (typeof TOP_PERIODS)[number];
