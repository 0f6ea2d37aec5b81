import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

// CPU time per answer: the forum's process and PostgreSQL's, read from /proc around each
// measurement. Throughput on a shared machine swings with its other work (the baseline alone
// ranged from 5,200 to 17,000 req/s in one run); the CPU a page costs swings far less, and says
// where the time goes: the forum's rendering or the database.

/** Clock ticks per second, the unit of /proc/<pid>/stat's times. */
const ticksPerSecond = (() => {
  const result = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  return Number(result.stdout?.trim()) || 100;
})();

/** Whether this system shows processes' CPU times in /proc (Linux). */
const cpuReadable = (() => {
  try {
    readFileSync('/proc/self/stat');
    return true;
  } catch {
    return false;
  }
})();

/** A process's user and system CPU time so far, in ms; 0 once it has exited. */
function processCpuMs(pid: number): number {
  try {
    // The command name (field 2) is in parentheses and may hold spaces: count from after it.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return 0;
  }
}

/** The processes of a PostgreSQL server on this machine (none when it runs elsewhere). */
function postgresPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (command.startsWith('postgres')) pids.push(Number(entry));
    } catch {
      // it exited while we looked
    }
  }
  return pids;
}

export interface CpuCost {
  /** ms of CPU the server under load spent per answer. */
  serverMs: number;
  /** ms of CPU PostgreSQL's processes spent per answer (a floor: a backend that exits is lost). */
  postgresMs: number;
}

/** CPU ms so far of each PostgreSQL process. */
function postgresCpu(): Map<number, number> {
  return new Map(postgresPids().map((pid) => [pid, processCpuMs(pid)]));
}

/**
 * What PostgreSQL's processes spent between two readings: a process that began meanwhile counts
 * from its start, one that ended meanwhile is lost (so the figure is a floor).
 */
function postgresSpent(before: Map<number, number>, after: Map<number, number>): number {
  let spent = 0;
  for (const [pid, ms] of after) spent += Math.max(0, ms - (before.get(pid) ?? 0));
  return spent;
}

/**
 * Runs `measure` and returns its result with the CPU the server `pid` and PostgreSQL spent per
 * answer meanwhile; without /proc, only the result.
 */
export async function withCpuCost<T extends { requests: number }>(
  pid: number | undefined,
  measure: () => Promise<T>,
): Promise<T & { cpu?: CpuCost }> {
  if (!cpuReadable || pid === undefined) return measure();
  const before = { server: processCpuMs(pid), postgres: postgresCpu() };
  const result = await measure();
  const answers = Math.max(1, result.requests);
  return {
    ...result,
    cpu: {
      serverMs: (processCpuMs(pid) - before.server) / answers,
      postgresMs: postgresSpent(before.postgres, postgresCpu()) / answers,
    },
  };
}
