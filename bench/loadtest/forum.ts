import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** The real `npm start`, as a child process on 127.0.0.1, with its output in a log file. */
export interface Forum {
  url: string;
  logFile: string;
  /** SIGTERM, then waits for the exit (SIGKILL after `graceMs`). */
  stop(graceMs: number): Promise<{ code: number | null; signal: string | null; ms: number }>;
}

const root = path.resolve(import.meta.dirname, '../..');
const SECRETS = {
  SESSION_SECRET: 'loadtest-session-secret-0123456789abcdefghij',
  ANON_SECRET: 'loadtest-anon-secret-0123456789abcdefghijklm',
};
/** Generous enough that the limits never answer instead of the forum (reported in the output). */
export const LIMITS = {
  RATE_LIMIT_LOGIN: '100000',
  RATE_LIMIT_REGISTER: '100000',
  RATE_LIMIT_WRITES: '100000',
  RATE_LIMIT_SEARCH: '100000',
};

/** A port the system just handed out, so the forum never takes one someone else uses. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts the forum with only the environment given here (plus PATH and HOME): a DATABASE_URL,
 * REDIS_URL or secret in the caller's environment must not leak into the run.
 */
export async function startForum(storeEnv: Record<string, string>, dir: string): Promise<Forum> {
  const port = await freePort();
  const logFile = path.join(dir, 'forum.log');
  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    stdio: ['ignore', log, log],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      ...SECRETS,
      ...LIMITS,
      ...storeEnv,
    },
  });
  closeSync(log);
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  // Never leave a forum running behind this process, whatever ends it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(url, child, exited, logFile);
  return {
    url,
    logFile,
    stop: async (graceMs) => {
      const started = Date.now();
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(timer);
      process.off('exit', killOnExit);
      return { ...result, ms: Date.now() - started };
    },
  };
}

async function waitUntilReady(
  url: string,
  child: ChildProcess,
  exited: Promise<unknown>,
  logFile: string,
) {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && !gone) {
    const ready = await fetch(`${url}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  const tail = readFileSync(logFile, 'utf8').slice(-2000);
  throw new Error(`The forum did not become ready:\n${tail}`);
}
