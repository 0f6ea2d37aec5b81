import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { LIMITS, startForum, type Forum } from './loadtest/forum.js';
import { Client } from './loadtest/http.js';
import { runLoad, warmUp, MIX } from './loadtest/load.js';
import { registerMembers } from './loadtest/members.js';
import type { Context } from './loadtest/context.js';
import { parseOptions, type Options } from './loadtest/options.js';
import { printLoad, printServerErrors, printVerdict, printWrites } from './loadtest/report.js';
import { Stats } from './loadtest/stats.js';
import { createStore, type Store } from './loadtest/store.js';
import { verify } from './loadtest/verify.js';
import { World } from './loadtest/world.js';

// npm run loadtest -- [--connections 200] [--seconds 30] [--database pglite|postgres]
//
// Starts the real forum (`server/main.ts`) as a child process on 127.0.0.1 on a fresh database,
// registers members, runs mixed page reads and writes at the given concurrency for the given
// time, stops the forum with SIGTERM, then checks the database itself: every acknowledged write
// is there exactly once, a write without an answer at most once, and the maintained counters and
// aggregates equal a recomputation. Exits 1 if a write was lost or duplicated, one refused or
// shed (503) was stored all the same, a counter or aggregate is wrong, the forum answered a 5xx
// other than 503 (load shedding), or it did not exit 0 on SIGTERM.

const SHUTDOWN_GRACE_MS = 20_000;

/** Other work on the machine skews the figures: the 1-minute load average says how much. */
const loadAverage = () => os.loadavg()[0]!.toFixed(1);

function describeSetup(options: Options, store: Store) {
  const cpus = os.cpus();
  console.log(`Partner Stories load test, ${new Date().toISOString().slice(0, 16)}Z`);
  console.log(
    `  machine: ${cpus.length} × ${cpus[0]?.model.trim() ?? 'CPU'}, Node ${process.version}; ` +
      `the forum, its database and this load generator share it (load average ${loadAverage()})`,
  );
  console.log(`  database: ${store.label}`);
  console.log(
    `  forum: NODE_ENV=production, LOG_LEVEL=warn, SESSION_SECRET and ANON_SECRET set, ` +
      `rate limits raised so that they never answer in the forum's stead (${Object.keys(LIMITS).join(', ')} = 100000)`,
  );
  const mix = MIX.map(([weight, name]) => `${name} ${weight}%`).join(', ');
  console.log(`  mix: ${mix}; page reads half by members, half by cookieless visitors`);
}

/** Members, warm-up stories, then the timed load; returns the load's duration in seconds. */
async function drive(forum: Forum, options: Options, world: World, stats: Stats) {
  const client = new Client(forum.url, options.connections, options.timeoutMs);
  let deadline = Infinity;
  const ctx: Context = {
    client,
    world,
    stats,
    running: () => Date.now() < deadline && client.sent < options.maxRequests,
    remainingMs: () => deadline - Date.now(),
  };
  let started = Date.now();
  world.members.push(...(await registerMembers(client, world.runId, options.members)));
  await warmUp(ctx, world.members);
  console.log(
    `  set-up: ${options.members} members registered (argon2id) and ${world.threads.length} ` +
      `warm-up stories in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  console.log(
    `\nLoad: ${options.connections} connections for ${options.seconds} s ` +
      `(at most ${options.maxRequests} requests; the client gives up after ${options.timeoutMs / 1000} s; ` +
      'after a 503 a connection waits its Retry-After, at most 5 s; a write that got no answer ' +
      'or a 503 is sent once more, as a member would)',
  );
  started = Date.now();
  deadline = started + options.seconds * 1000;
  await runLoad(ctx, world.members, options.connections);
  client.close();
  return (Date.now() - started) / 1000;
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const store = await createStore(options.database);
  let passed = false;
  try {
    describeSetup(options, store);
    passed = await runAgainst(store, options);
  } finally {
    await store.dispose(!passed);
    if (!passed) console.log(`\nThe server log (and PGlite's data) are kept in ${store.dir}`);
  }
  process.exit(passed ? 0 : 1);
}

async function runAgainst(store: Store, options: Options): Promise<boolean> {
  const forum = await startForum(store.env, store.dir);
  console.log(`  forum started at ${forum.url} (log: ${forum.logFile})`);
  const world = new World(`lt${randomBytes(4).toString('hex')}`, []);
  const stats = new Stats();
  let seconds: number;
  let exit: string;
  try {
    seconds = await drive(forum, options, world, stats);
  } finally {
    // The writes still running in the forum finish before it exits: only then is the database
    // final, and PGlite can be opened by this process.
    const stopped = await forum.stop(SHUTDOWN_GRACE_MS);
    exit = String(stopped.code ?? stopped.signal);
    console.log(`\nForum stopped with SIGTERM: exit ${exit} after ${stopped.ms} ms`);
  }
  const counts = printLoad(stats, seconds);
  console.log(`  load average after the run: ${loadAverage()}`);
  printWrites(world);
  printServerErrors(forum.logFile);
  console.log('\nDatabase check (opened directly, after the forum stopped):');
  const database = await store.open();
  const verdict = await verify(database.db, world).finally(() => database.close());
  printVerdict(verdict);
  const failures = [
    verdict.lost.length && `${verdict.lost.length} acknowledged writes lost`,
    verdict.duplicated.length && `${verdict.duplicated.length} writes stored twice`,
    verdict.ruleBroken.length && `${verdict.ruleBroken.length} refused or shed writes stored`,
    verdict.mismatches.length && `${verdict.mismatches.length} counters or aggregates wrong`,
    counts.serverErrors && `${counts.serverErrors} answers 5xx other than 503`,
    // A crash during the load, or a shutdown that ran out of time, shows here.
    exit !== '0' && `the forum exited with ${exit} after SIGTERM`,
  ].filter(Boolean);
  console.log(failures.length === 0 ? '\nPASS' : `\nFAIL: ${failures.join('; ')}`);
  return failures.length === 0;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
