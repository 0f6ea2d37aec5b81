import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root } from '../scripts/build.mjs';
import { spawnOwned } from './processes.js';

// The load generator runs in its own process, never in the bench's event loop beside the
// servers it measures: wrk when it is on PATH, otherwise autocannon's command line.

/** One kind of request, sent over and over by every connection. */
export interface Load {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  /** "[<id>]" in it becomes an id unique to each request. */
  body?: string;
  /** The status every answer should have: 200 for a page, 303 for a form sent. */
  expect: number;
}

export interface Measurement {
  /**
   * Answers with the expected status per second: a 503 from the search queue is not a page
   * served, and fast refusals must not raise the figure (they are counted in `unexpected`).
   */
  rps: number;
  p99Ms: number;
  requests: number;
  /** The status a right answer has (Load.expect). */
  expect: number;
  /** Answers with another status than `expect`, socket errors and timeouts. */
  unexpected: number;
  /** Answers by status (autocannon only; wrk reports only those of 400 or more). */
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
}

export type LoadTool = 'wrk' | 'autocannon';

export const loadTool: LoadTool =
  spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error === undefined ? 'wrk' : 'autocannon';

export async function measure(load: Load, seconds: number, connections: number) {
  const output =
    loadTool === 'wrk'
      ? await run('wrk', wrkArguments(load, seconds, connections))
      : await run(process.execPath, autocannonArguments(load, seconds, connections));
  const json = output
    .trim()
    .split('\n')
    .reverse()
    .find((line) => line.startsWith('{'));
  if (!json)
    throw new Error(`${loadTool} printed no result for ${load.method} ${load.url}:\n${output}`);
  return loadTool === 'wrk'
    ? fromWrk(JSON.parse(json), load)
    : fromAutocannon(JSON.parse(json), load);
}

function autocannonArguments(load: Load, seconds: number, connections: number) {
  const cli = path.join(root, 'node_modules', 'autocannon', 'autocannon.js');
  const args = [cli, '--json', '-c', String(connections), '-d', String(seconds), '-m', load.method];
  for (const [name, value] of Object.entries(load.headers)) args.push('-H', `${name}:${value}`);
  if (load.body !== undefined) args.push('-i', bodyFile(load.body), '--idReplacement');
  return [...args, load.url];
}

const bodyFiles = new Map<string, string>();

/**
 * autocannon's command line reads "[ … ]" in an argument as a group of options, so a body with
 * "[<id>]" in it goes through a file (-i) instead of -b.
 */
function bodyFile(body: string): string {
  let file = bodyFiles.get(body);
  if (file) return file;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'partner-stories-bench-body-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  file = path.join(dir, 'body');
  writeFileSync(file, body);
  bodyFiles.set(body, file);
  return file;
}

function wrkArguments(load: Load, seconds: number, connections: number) {
  const threads = String(Math.min(2, connections));
  const args = ['-t', threads, '-c', String(connections), '-d', `${seconds}s`];
  for (const [name, value] of Object.entries(load.headers)) args.push('-H', `${name}: ${value}`);
  args.push('-s', path.join(root, 'bench', 'wrk.lua'), load.url, '--', load.method);
  return load.body === undefined ? args : [...args, load.body];
}

/** Runs the load generator to its end and returns what it printed. */
function run(command: string, args: string[]): Promise<string> {
  const child = spawnOwned(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`${command} exited ${code}: ${stderr}`)),
    );
  });
}

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p99: number };
  statusCodeStats: Record<string, { count: number }>;
  errors: number;
  timeouts: number;
}

function fromAutocannon(result: AutocannonResult, load: Load): Measurement {
  const statuses = Object.fromEntries(
    Object.entries(result.statusCodeStats).map(([status, { count }]) => [status, count]),
  );
  const answered = Object.values(statuses).reduce((sum, count) => sum + count, 0);
  const expected = statuses[String(load.expect)] ?? 0;
  return {
    rps: answered > 0 ? (result.requests.average * expected) / answered : 0,
    p99Ms: result.latency.p99,
    requests: answered,
    expect: load.expect,
    // autocannon counts a timeout as an error as well.
    unexpected: answered - expected + result.errors,
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

interface WrkResult {
  requests: number;
  durationUs: number;
  p99Us: number;
  statusErrors: number;
  socketErrors: number;
  timeouts: number;
}

function fromWrk(result: WrkResult, load: Load): Measurement {
  return {
    rps: (result.requests - result.statusErrors) / (result.durationUs / 1e6),
    p99Ms: Math.round(result.p99Us / 1000),
    requests: result.requests,
    expect: load.expect,
    unexpected: result.statusErrors + result.socketErrors + result.timeouts,
    statuses: result.statusErrors > 0 ? { '4xx/5xx': result.statusErrors } : {},
    errors: result.socketErrors + result.timeouts,
    timeouts: result.timeouts,
  };
}
