import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root } from '../scripts/build.mjs';
import { ensureBuild } from './build.js';
import {
  ensureData,
  ensureDatabase,
  findTargets,
  postgresVersion,
  type Targets,
} from './dataset.js';
import { withCpuCost, type CpuCost } from './cpu.js';
import { loadTool, measure, type Load, type Measurement } from './load.js';
import { registerMember } from './member.js';
import { baselineLoad, checkProbes, planGroups, type Group } from './plan.js';
import { stopAll } from './processes.js';
import {
  describeMachine,
  tableLines,
  writeResults,
  type BaselineSample,
  type Row,
  type Sample,
} from './report.js';
import { forumSettings, logProblems, startBaseline, startForum, type Server } from './servers.js';

// npm run bench: seeds a PostgreSQL database with a generated data set (once; kept for later
// runs), then measures the forum's busiest pages, each as a share of a baseline: a bare Fastify
// route reading 20 rows with one pg query and one Eta template (bench/baseline.ts).
//
// Each server runs in its own process, the forum as production runs it (the compiled build,
// NODE_ENV=production), and the load generator in yet another one (wrk if on PATH, otherwise
// autocannon's CLI). In each of two rounds, every page is measured between two measurements of
// the baseline, and reported as a share of their mean: the machine's other work then weighs on
// the page and its baseline alike.
//
// BENCH_DATABASE_URL  (default postgres://postgres@127.0.0.1:5432/partner_stories_bench)
// BENCH_SCALE         (default 1: 100,000 stories; 0.1 for a quick look)
// BENCH_SECONDS       (default 10 per measurement, after a warm-up of 3), BENCH_CONNECTIONS (50)

const databaseUrl =
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/partner_stories_bench';
const scale = Number(process.env.BENCH_SCALE ?? 1);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
/** Long enough for the JIT and the page cache, short enough not to double the run. */
const warmUpSeconds = Math.max(1, Math.min(3, Math.round(seconds / 3)));
const ROUNDS = 2;
const resultsFile = path.join(root, 'bench', 'results.json');
const log = (line: string) => console.log(line);

interface Servers {
  cacheOff: Server;
  cacheOn: Server;
  baseline: Server;
}

async function startServers(logDir: string): Promise<Servers> {
  const [cacheOff, cacheOn, baseline] = await Promise.all([
    startForum(databaseUrl, 0, connections, logDir),
    startForum(databaseUrl, 1000, connections, logDir),
    startBaseline(databaseUrl, logDir),
  ]);
  return { cacheOff, cacheOn, baseline };
}

/** The process id of the server each load is sent to, to read its CPU time. */
type PidOf = (load: Load) => number | undefined;

/** A warm-up the figures ignore, then the measurement, with the CPU it cost per answer. */
async function measureWarm(load: Load, pidOf: PidOf) {
  await measure(load, warmUpSeconds, connections);
  return withCpuCost(pidOf(load), () => measure(load, seconds, connections));
}

function serverPids(servers: Servers): PidOf {
  const pids = new Map(Object.values(servers).map((server) => [server.url, server.child.pid]));
  return (load) => pids.get(new URL(load.url).origin);
}

const describeLoad = ({ rps, p99Ms, unexpected, statuses, cpu }: Measurement & { cpu?: CpuCost }) =>
  `${Math.round(rps)} req/s, p99 ${p99Ms} ms` +
  (cpu
    ? `, CPU per answer ${cpu.serverMs.toFixed(2)} ms + PostgreSQL ${cpu.postgresMs.toFixed(2)} ms`
    : '') +
  (unexpected ? `, ${unexpected} other answers (${JSON.stringify(statuses)})` : '');

/** One round: baseline, a page's probes, baseline, the next page's probes, … baseline. */
async function runRound(round: number, groups: Group[], baseline: Load, pidOf: PidOf) {
  const baselines: BaselineSample[] = [];
  const samples: Sample[] = [];
  const measureBaseline = async () => {
    const sample = { round, ...(await measureWarm(baseline, pidOf)) };
    log(`  round ${round}, baseline: ${describeLoad(sample)}`);
    baselines.push(sample);
    return sample.rps;
  };
  let before = await measureBaseline();
  for (const group of groups) {
    const measured = [];
    for (const { page, audience, load } of group) {
      const result = await measureWarm(load, pidOf);
      log(`  round ${round}, ${page}, ${audience}: ${describeLoad(result)}`);
      measured.push({ round, page, audience, ...result });
    }
    const after = await measureBaseline();
    const baselineRps = (before + after) / 2;
    for (const result of measured)
      samples.push({ ...result, baselineRps, ratio: result.rps / baselineRps });
    before = after;
  }
  return { baselines, samples };
}

async function runRounds(groups: Group[], servers: Servers) {
  const rounds = [];
  const pidOf = serverPids(servers);
  for (let round = 1; round <= ROUNDS; round++)
    rounds.push(await runRound(round, groups, baselineLoad(servers.baseline.url), pidOf));
  return {
    samples: rounds.flatMap((round) => round.samples),
    baseline: rounds.flatMap((round) => round.baselines),
  };
}

async function prepare() {
  await ensureDatabase(databaseUrl);
  await ensureData(databaseUrl, scale, log);
  ensureBuild(log);
  return { targets: await findTargets(databaseUrl), postgres: await postgresVersion(databaseUrl) };
}

function describeSetup(postgres: string) {
  const machine = describeMachine();
  log(
    `\nMachine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${process.version}, ` +
      `PostgreSQL ${postgres}; load average ${machine.loadAverage}`,
  );
  log(
    `Load: ${loadTool}, ${connections} connections, ${seconds} s per measurement after ${warmUpSeconds} s of warm-up, ` +
      `${ROUNDS} rounds; the servers, PostgreSQL and the load generator share this machine.`,
  );
  const settings = Object.entries(forumSettings(connections))
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
  log(
    `Forum: node dist/server/main.js, NODE_ENV=production, LOG_LEVEL=info, PAGE_CACHE_MS=0 or 1000. ` +
      'Load shedding is OFF while measuring; the search queue holds every connection (a search ' +
      'still gives up after SEARCH_TIMEOUT_MS, 2 s, in line: a 503), and the rate limits are ' +
      `raised (the bench is one address): ${settings}`,
  );
  log(
    'req/s counts the answers with the expected status (200; 303 for the reply form); ' +
      'any other answer is counted apart.\n',
  );
  return machine;
}

/** Starts the servers, registers the bench's member, and checks every probe once. */
async function prepareProbes(servers: Servers, targets: Targets) {
  const member = await registerMember(servers.cacheOff.url, `/threads/${targets.writeThread}`);
  const forums = {
    cacheOff: servers.cacheOff.url,
    cacheOn: servers.cacheOn.url,
    baseline: servers.baseline.url,
  };
  const groups = planGroups(targets, forums, member);
  await checkProbes(groups);
  return groups;
}

interface Run {
  started: number;
  machine: ReturnType<typeof describeMachine>;
  postgres: string;
  groups: Group[];
  samples: Sample[];
  baseline: BaselineSample[];
  serverLogs: Awaited<ReturnType<typeof checkLogs>>;
}

/** The table on the terminal, and the same figures with the setup in bench/results.json. */
function report({ started, machine, postgres, groups, samples, baseline, serverLogs }: Run) {
  const rows = groupRows(groups, samples);
  log(`\n${tableLines(rows, baseline).join('\n')}\n`);
  const durationSeconds = Math.round((Date.now() - started) / 1000);
  const end = describeMachine().loadAverage;
  log(
    `${ROUNDS} rounds in ${(durationSeconds / 60).toFixed(1)} min; load average at the end ${end}`,
  );
  writeResults(resultsFile, {
    date: new Date().toISOString(),
    machine: { ...machine, loadAverageAtEnd: end },
    node: process.version,
    postgres,
    loadTool,
    settings: {
      connections,
      seconds,
      warmUpSeconds,
      scale,
      rounds: ROUNDS,
      forum: forumSettings(connections),
    },
    durationSeconds,
    rows,
    baseline,
    serverLogs,
  });
  log(`Written to ${path.relative(process.cwd(), resultsFile)}`);
}

async function main() {
  const started = Date.now();
  const { targets, postgres } = await prepare();
  const logDir = mkdtempSync(path.join(os.tmpdir(), 'partner-stories-bench-'));
  let keepLogs = true;
  try {
    const servers = await startServers(logDir);
    const groups = await prepareProbes(servers, targets);
    const machine = describeSetup(postgres);
    const { samples, baseline } = await runRounds(groups, servers);
    await stopAll(); // the logs are complete once the servers have exited
    const serverLogs = await checkLogs(servers);
    keepLogs = Object.values(serverLogs).some((found) => found.warnings + found.errors > 0);
    report({ started, machine, postgres, groups, samples, baseline, serverLogs });
  } finally {
    await stopAll();
    if (keepLogs) log(`The servers' logs are kept in ${logDir}`);
    else rmSync(logDir, { recursive: true, force: true });
  }
}

/** One row per page and audience, in the order of the plan, with one sample per round. */
function groupRows(groups: Group[], samples: Sample[]): Row[] {
  return groups.flat().map(({ page, audience }) => ({
    page,
    audience,
    rounds: samples.filter((sample) => sample.page === page && sample.audience === audience),
  }));
}

/** Warnings and errors the servers logged during the run: a 500 would hide in the figures. */
async function checkLogs(servers: Servers) {
  const found: Record<string, Awaited<ReturnType<typeof logProblems>>> = {};
  for (const server of Object.values(servers)) {
    found[server.name] = await logProblems(server.logFile);
    const { warnings, errors, examples } = found[server.name]!;
    if (warnings + errors > 0)
      log(
        `${server.name} logged ${warnings} warnings, ${errors} errors, e.g.:\n  ${examples.join('\n  ')}`,
      );
  }
  return found;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
