import { readFileSync } from 'node:fs';
import { isUnknown, type Outcome } from './ledger.js';
import { countOf, percentile, type Stats } from './stats.js';
import type { Verdict } from './verify.js';
import type { World } from './world.js';

const ms = (value: number) =>
  Number.isNaN(value) ? '–' : value === Infinity ? 'timed out' : `${Math.round(value)} ms`;
const isServerError = (status: string) => /^5\d\d$/.test(status);

/** Throughput, latency and statuses of the load phase; returns the counts the verdict needs. */
export function printLoad(stats: Stats, seconds: number) {
  const totals = stats.totals();
  const sent = countOf(totals, () => true);
  const answered = countOf(totals, (status) => /^\d+$/.test(status));
  const served = countOf(totals, (status) => /^[234]\d\d$/.test(status));
  const all = stats.latencies();
  const rate = (n: number) => (n / seconds).toFixed(0);
  console.log(
    `  ${sent} requests in ${seconds.toFixed(1)} s: ${rate(answered)} answered req/s ` +
      `(${rate(served)} req/s other than 5xx); latency p50 ${ms(percentile(all, 0.5))}, ` +
      `p99 ${ms(percentile(all, 0.99))} (timeouts counted as slowest)`,
  );
  console.log('\n  | endpoint | requests | p50 | p99 | answers |');
  console.log('  |---|---:|---:|---:|---|');
  for (const [label, entry] of [...stats.byLabel].sort()) {
    const sorted = [...entry.latencies].sort((a, b) => a - b);
    const statuses = [...entry.statuses]
      .sort()
      .map(([status, n]) => `${status}: ${n}`)
      .join(', ');
    const requests = countOf(entry.statuses, () => true);
    console.log(
      `  | ${label} | ${requests} | ${ms(percentile(sorted, 0.5))} | ${ms(percentile(sorted, 0.99))} | ${statuses} |`,
    );
  }
  const counts = {
    shed: totals.get('503') ?? 0,
    serverErrors: countOf(totals, (status) => isServerError(status) && status !== '503'),
    timeouts: totals.get('timeout') ?? 0,
    resets: totals.get('reset') ?? 0,
  };
  console.log(
    `\n  5xx: ${counts.shed} shed (503), ${counts.serverErrors} other; ` +
      `${counts.timeouts} timed out at the client; ${counts.resets} connections broken`,
  );
  for (const sample of stats.samples) console.log(`    ${sample}`);
  return counts;
}

/** Writes by what the client was told. */
export function printWrites(world: World) {
  const by = new Map<Outcome, number>();
  for (const write of world.writes) {
    const last = write.outcomes.at(-1)!;
    by.set(last, (by.get(last) ?? 0) + 1);
  }
  const resent = (first: (outcome: Outcome) => boolean) =>
    world.writes.filter((write) => write.outcomes.length > 1 && first(write.outcomes[0]!)).length;
  const unexpected = world.writes.filter((write) => write.outcomes.at(-1) === 'refused');
  console.log(
    `  ${world.writes.length} writes: ${by.get('acknowledged') ?? 0} acknowledged (303), ` +
      `${by.get('refused-expected') ?? 0} refused as expected (409, second anonymous story), ` +
      `${unexpected.length} refused otherwise, ${by.get('shed') ?? 0} shed (503), ` +
      `${by.get('error') ?? 0} failed (other 5xx), ${by.get('timeout') ?? 0} timed out, ` +
      `${by.get('reset') ?? 0} cut off (last answers); sent twice: ${resent(isUnknown)} after no ` +
      `answer, ${resent((outcome) => outcome === 'shed')} after a 503`,
  );
  const details = new Map<string, number>();
  for (const write of unexpected) details.set(write.detail!, (details.get(write.detail!) ?? 0) + 1);
  for (const [detail, n] of details) console.log(`    refused otherwise: ${detail} × ${n}`);
}

export function printVerdict(verdict: Verdict) {
  console.log(
    `  lost acknowledged writes: ${verdict.lost.length}; duplicated writes: ${verdict.duplicated.length}; ` +
      `refused or shed yet stored: ${verdict.ruleBroken.length}`,
  );
  for (const write of [...verdict.lost, ...verdict.duplicated, ...verdict.ruleBroken].slice(0, 10))
    console.log(`    ${write.kind} ${write.marker}: answered ${write.outcomes.join(', then ')}`);
  const stored = [...verdict.stored]
    .filter(([outcome]) => outcome !== 'acknowledged')
    .map(([outcome, { stored, absent }]) => `${outcome}: ${stored} stored, ${absent} not`)
    .join('; ');
  // "unanswered": no answer at some attempt and no 303 at any, so either is right.
  if (stored) console.log(`  writes without a 303, in the database: ${stored}`);
  if (verdict.mismatches.length === 0)
    console.log('  scores, reply counts and vendor aggregates equal a full recomputation');
  for (const mismatch of verdict.mismatches) console.log(`  MISMATCH ${mismatch}`);
}

/** The server's own account of its errors: distinct messages of its error-level log lines. */
export function printServerErrors(logFile: string) {
  const distinct = new Map<string, number>();
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    const key = line.startsWith('{') ? errorOf(line) : line.slice(0, 300).trim();
    if (key && !key.startsWith('Partner Stories is running'))
      distinct.set(key, (distinct.get(key) ?? 0) + 1);
  }
  if (distinct.size === 0) return;
  console.log('  server log, errors and unexpected output (distinct, with counts):');
  for (const [message, n] of [...distinct].sort((a, b) => b[1] - a[1]).slice(0, 15))
    console.log(`    ${n} × ${message}`);
}

/** An error-level JSON log line as one short text (post ids taken out, so repeats group). */
function errorOf(line: string): string | undefined {
  let entry;
  try {
    entry = JSON.parse(line) as LogEntry;
  } catch {
    return line.slice(0, 300); // a line cut short: show it as it is
  }
  if ((entry.level ?? 0) < 50) return undefined;
  const where = (entry.route ?? entry.req?.url ?? entry.url ?? '').replace(/\/\d+/g, '/:id');
  const err = entry.err ? `${entry.err.type} ${entry.err.code ?? ''} ${entry.err.message}` : '';
  return `${entry.msg} ${where} ${err}`.replace(/\s+/g, ' ').trim();
}

interface LogEntry {
  level?: number;
  msg?: string;
  route?: string;
  url?: string;
  req?: { method?: string; url?: string };
  err?: { type?: string; code?: string; message?: string };
}
