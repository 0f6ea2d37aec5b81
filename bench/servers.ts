import type { ChildProcess } from 'node:child_process';
import { closeSync, createReadStream, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { root } from '../scripts/build.mjs';
import { forumEntry } from './build.js';
import { spawnOwned } from './processes.js';

/** A server the bench started in its own process, listening on a port the system chose. */
export interface Server {
  name: string;
  url: string;
  logFile: string;
  child: ChildProcess;
}

const SECRETS = {
  SESSION_SECRET: 'bench-session-secret-0123456789-abcdefghij',
  ANON_SECRET: 'bench-anon-secret-0123456789-abcdefghijkl',
};

/**
 * What the forum is started with besides its database and page cache. The rate limits count per
 * address, and the bench is one address: raised so that they never answer in the forum's stead.
 * Shedding (503 under pressure) is off, so that the figures are the work the forum does, not
 * the requests it refused; for the same reason the search queue (SEARCH_QUEUE) has room for every
 * connection, rather than refusing the eleventh search in line. SEARCH_CONCURRENCY and
 * SEARCH_TIMEOUT_MS keep their defaults: a search that waits longer than that still gets a 503,
 * counted apart from the pages served.
 */
export function forumSettings(connections: number): Record<string, string> {
  return {
    RATE_LIMIT_WRITES: '10000000',
    RATE_LIMIT_SEARCH: '10000000',
    RATE_LIMIT_LOGIN: '100000',
    RATE_LIMIT_REGISTER: '100000',
    OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '0',
    OVERLOAD_MAX_HEAP_BYTES: '0',
    OVERLOAD_MAX_POOL_WAITING: '1000000',
    // Twice the connections: the searches of the run before (its warm-up, say) are still in
    // line when the next run's connections arrive; the forum finishes work a client left.
    SEARCH_QUEUE: String(Math.max(10, 2 * connections)),
  };
}

/** The compiled forum, as production runs it: `node dist/server/main.js`, NODE_ENV=production. */
export function startForum(
  databaseUrl: string,
  pageCacheMs: number,
  connections: number,
  logDir: string,
) {
  const env = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'info', // production's default; it also prints the port the system chose
    DATABASE_URL: databaseUrl,
    PORT: '0',
    PAGE_CACHE_MS: String(pageCacheMs),
    ...SECRETS,
    ...forumSettings(connections),
  };
  const name = `forum-cache-${pageCacheMs}ms`;
  return startServer(name, [forumEntry], env, logDir);
}

export function startBaseline(databaseUrl: string, logDir: string) {
  const args = ['--import', 'tsx', path.join(root, 'bench', 'baseline.ts')];
  return startServer('baseline', args, { DATABASE_URL: databaseUrl, PORT: '0' }, logDir);
}

/**
 * Starts `node <args>` with only this environment (plus PATH and HOME: a REDIS_URL or a secret
 * of the caller's must not leak in), its output in a log file, and waits for its
 * "listening at <url>" line.
 */
async function startServer(
  name: string,
  args: string[],
  env: Record<string, string>,
  logDir: string,
): Promise<Server> {
  const logFile = path.join(logDir, `${name}.log`);
  // A file, not a pipe: the bench then spends no CPU carrying the server's log lines.
  const log = openSync(logFile, 'a');
  const child = spawnOwned(process.execPath, args, {
    cwd: root,
    stdio: ['ignore', log, log],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
  });
  closeSync(log);
  const url = await waitForListening(child, logFile);
  return { name, url, logFile, child };
}

async function waitForListening(child: ChildProcess, logFile: string): Promise<string> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && child.exitCode === null && child.signalCode === null) {
    const url = /listening at (http:\/\/[\d.:[\]]+)/.exec(readFileSync(logFile, 'utf8'))?.[1];
    if (url) return url;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  const tail = readFileSync(logFile, 'utf8').slice(-2000);
  throw new Error(`${logFile}: the server did not start listening:\n${tail}`);
}

/** What a server logged at warn level or above (pino levels 40 and up), with a few examples. */
export async function logProblems(logFile: string) {
  const lines = createInterface({ input: createReadStream(logFile) });
  let warnings = 0;
  let errors = 0;
  const examples = new Set<string>();
  for await (const line of lines) {
    const level = Number(/^\{"level":(\d+)/.exec(line)?.[1] ?? 0);
    if (level < 40) continue;
    if (level === 40) warnings++;
    else errors++;
    if (examples.size < 5) examples.add(line.slice(0, 300));
  }
  return { warnings, errors, examples: [...examples] };
}
