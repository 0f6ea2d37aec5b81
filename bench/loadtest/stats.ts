import type { Answer } from './http.js';

/**
 * Answers per endpoint: status counts and latencies. A request the client gave up on counts as
 * taking forever, so that timeouts raise the percentiles instead of vanishing from them.
 */
export class Stats {
  readonly byLabel = new Map<string, { statuses: Map<string, number>; latencies: number[] }>();
  /** The first few server errors and resets, with the endpoint, to name in the report. */
  readonly samples: string[] = [];

  record(label: string, path: string, answer: Answer) {
    let entry = this.byLabel.get(label);
    if (!entry) this.byLabel.set(label, (entry = { statuses: new Map(), latencies: [] }));
    const status = String(answer.status);
    entry.statuses.set(status, (entry.statuses.get(status) ?? 0) + 1);
    if (typeof answer.status === 'number') entry.latencies.push(answer.ms);
    else if (answer.status === 'timeout') entry.latencies.push(Infinity);
    const serverError = typeof answer.status === 'number' && answer.status >= 500;
    if ((serverError && answer.status !== 503) || answer.status === 'reset') {
      if (this.samples.length < 20)
        this.samples.push(`${label} ${path}: ${status}${answer.error ? ` (${answer.error})` : ''}`);
    }
  }

  /** Requests answered with each status (or timeout/reset), over every endpoint. */
  totals() {
    const totals = new Map<string, number>();
    for (const { statuses } of this.byLabel.values())
      for (const [status, n] of statuses) totals.set(status, (totals.get(status) ?? 0) + n);
    return totals;
  }

  latencies(labels?: (label: string) => boolean) {
    const all: number[] = [];
    for (const [label, { latencies }] of this.byLabel)
      if (!labels || labels(label)) for (const ms of latencies) all.push(ms);
    return all.sort((a, b) => a - b);
  }
}

/** The value below which `share` of the sorted values lie (nearest rank). */
export function percentile(sorted: number[], share: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)]!;
}

export const countOf = (totals: Map<string, number>, test: (status: string) => boolean) =>
  [...totals].filter(([status]) => test(status)).reduce((sum, [, n]) => sum + n, 0);
