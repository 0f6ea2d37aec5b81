import { writeFileSync } from 'node:fs';
import os from 'node:os';
import type { CpuCost } from './cpu.js';
import type { Measurement } from './load.js';
import type { Audience } from './plan.js';

// The bench's results: a table on the terminal (Markdown, ready for the README) and the same
// figures as JSON in bench/results.json, for a check to read.

/** One probe measured in one round, beside the baseline measured around its page. */
export interface Sample extends Measurement {
  round: number;
  page: string;
  audience: Audience;
  /** Mean of the baseline measured just before and just after this page's probes. */
  baselineRps: number;
  /** rps / baselineRps. */
  ratio: number;
  cpu?: CpuCost;
}

export interface Row {
  page: string;
  audience: Audience;
  rounds: Sample[];
}

export interface BaselineSample extends Measurement {
  round: number;
  cpu?: CpuCost;
}

export function describeMachine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    /** Other work on the machine skews the figures: the 1-minute load average says how much. */
    loadAverage: Number(os.loadavg()[0]!.toFixed(1)),
  };
}

/** One figure per round: "round 1 / round 2". */
const perRound = <T>(samples: T[], value: (sample: T) => string) => samples.map(value).join(' / ');

const whole = (n: number) => Math.round(n).toLocaleString('en-US');

/** CPU ms per answer, "forum + PostgreSQL", or "–" where /proc could not tell. */
const cpuCell = (cpu: CpuCost | undefined) =>
  cpu ? `${cpu.serverMs.toFixed(2)} + ${cpu.postgresMs.toFixed(2)}` : '–';

/** Answers other than the expected status, errors and timeouts, over both rounds. */
function otherAnswers(samples: Measurement[]): string {
  const total = samples.reduce((sum, sample) => sum + sample.unexpected, 0);
  if (total === 0) return '0';
  const kinds = new Set(
    samples.flatMap((sample) => [
      ...Object.keys(sample.statuses).filter((status) => status !== String(sample.expect)),
      ...(sample.errors > sample.timeouts ? ['socket errors'] : []),
      ...(sample.timeouts > 0 ? ['timeouts'] : []),
    ]),
  );
  return `${total.toLocaleString('en-US')}: ${[...kinds].join(', ')}`;
}

export function tableLines(rows: Row[], baseline: BaselineSample[]): string[] {
  const byRound = [1, 2].map((round) => baseline.filter((sample) => sample.round === round));
  const mean = (samples: BaselineSample[], value: (sample: BaselineSample) => number) =>
    samples.reduce((sum, sample) => sum + value(sample), 0) / samples.length;
  const cells: string[][] = [
    [
      'baseline: 20 rows, 1 query, 1 template (mean)',
      '',
      perRound(byRound, (samples) => whole(mean(samples, (s) => s.rps))),
      perRound(byRound, (samples) => whole(mean(samples, (s) => s.p99Ms))),
      '100%',
      perRound(byRound, (samples) =>
        samples.every((s) => s.cpu)
          ? cpuCell({
              serverMs: mean(samples, (s) => s.cpu!.serverMs),
              postgresMs: mean(samples, (s) => s.cpu!.postgresMs),
            })
          : '–',
      ),
      otherAnswers(baseline),
    ],
    ...rows.map((row) => [
      row.page,
      row.audience,
      perRound(row.rounds, (s) => whole(s.rps)),
      perRound(row.rounds, (s) => whole(s.p99Ms)),
      perRound(row.rounds, (s) => `${Math.round(100 * s.ratio)}%`),
      perRound(row.rounds, (s) => cpuCell(s.cpu)),
      otherAnswers(row.rounds),
    ]),
  ];
  const header = [
    'page',
    'who',
    'req/s',
    'p99 ms',
    'of baseline',
    'CPU ms per answer: forum + PostgreSQL',
    'other answers',
  ];
  return markdownTable(header, cells, [
    'left',
    'left',
    'right',
    'right',
    'right',
    'right',
    'right',
  ]);
}

function markdownTable(header: string[], rows: string[][], align: ('left' | 'right')[]) {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((cell, i) => (align[i] === 'right' ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join(' | ')} |`;
  const rule = widths.map((width, i) =>
    align[i] === 'right' ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width),
  );
  return [line(header), `| ${rule.join(' | ')} |`, ...rows.map(line)];
}

export function writeResults(file: string, results: object): void {
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
}
