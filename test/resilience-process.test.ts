import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../server/config.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';

// Issue 10, findings 7 (shutdown), 8 (the embedded database's lock) and 9 (shared secrets), tried
// on the real `npm start` and the real commands, as child processes.

const root = path.resolve(import.meta.dirname, '..');
const SECRETS = {
  SESSION_SECRET: 'resilience-session-secret-0123456789abcdef',
  ANON_SECRET: 'resilience-anon-secret-0123456789abcdefghij',
};
const scratch = mkdtempSync(path.join(tmpdir(), 'partner-stories-process-'));
// Every forum this file starts, so that none outlives it, even after a failed or timed-out test.
const children = new Set<ChildProcessWithoutNullStreams>();
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(scratch, { recursive: true, force: true });
});
let dirs = 0;
const freshDir = () => path.join(scratch, `d${++dirs}`);

/** The test's environment without its database and secrets: each case says what it wants. */
function env(extra: Record<string, string> = {}) {
  const {
    DATABASE_URL: _url,
    SESSION_SECRET: _session,
    ANON_SECRET: _anon,
    SHUTDOWN_TIMEOUT_MS: _timeout,
    ...rest
  } = process.env;
  return { ...rest, NODE_ENV: 'test', LOG_LEVEL: 'info', PORT: '0', ...extra };
}

interface Forum {
  child: ChildProcessWithoutNullStreams;
  url: string;
  output(): string;
  exited: Promise<number | null>;
}

function spawnForum(extra: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: env(extra),
  });
  children.add(child);
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      children.delete(child);
      resolve(code);
    }),
  );
  return { child, output: () => output, exited };
}

async function startForum(extra: Record<string, string>): Promise<Forum> {
  const forum = spawnForum(extra);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start: ${forum.output()}`)), 30_000);
    const look = () => {
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(forum.output());
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    forum.child.stdout.on('data', look);
    void forum.exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`exited before listening: ${forum.output()}`));
    });
  });
  return { ...forum, url };
}

function command(script: string, extra: Record<string, string>, args: string[] = []) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: root,
    env: env(extra),
    encoding: 'utf8',
  });
  return { code: result.status, out: result.stdout + result.stderr };
}
const migrate = (extra: Record<string, string>) => command('server/cli/migrate.ts', extra);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The database a spawned forum runs on: PostgreSQL in the suite's PostgreSQL pass, else PGlite. */
async function forumDatabase(): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  if (!process.env.DATABASE_URL) return { env: { DATA_DIR: freshDir() }, drop: async () => {} };
  const database: TestDatabase = await createTestDatabase();
  return { env: { DATABASE_URL: database.url, ...SECRETS }, drop: () => database.drop() };
}

/** Cookies and the CSRF token a browser would hold after registering on the real server. */
async function registerOverHttp(url: string, username: string) {
  const cookies = new Map<string, string>();
  const remember = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
  };
  const cookie = () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  const token = async (page: string) => {
    const response = await fetch(url + page, { headers: { cookie: cookie() } });
    remember(response);
    return /name="_csrf" value="([^"]+)"/.exec(await response.text())![1]!;
  };
  const csrf = await token('/register');
  const registered = await fetch(`${url}/register`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookie() },
    body: new URLSearchParams({
      _csrf: csrf,
      username,
      password: 'correct horse battery',
    }).toString(),
  });
  expect(registered.status).toBe(303);
  remember(registered);
  return { cookie: cookie(), csrf: await token('/threads/new') };
}

/** A story preview whose body is still arriving: in flight until `finish()` sends the rest. */
function slowPreview(url: string, member: { cookie: string; csrf: string }, marker: string) {
  const body = new URLSearchParams({
    _csrf: member.csrf,
    title: 'A story still being sent',
    body: `The vendor never called back. ${marker}`,
    vendors: 'Slowpoke Systems',
    sentiment: 'bad',
    action: 'preview',
  }).toString();
  const half = Math.floor(body.length / 2);
  const request = http.request(`${url}/threads`, {
    method: 'POST',
    agent: new http.Agent({ keepAlive: true }),
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': Buffer.byteLength(body),
      cookie: member.cookie,
    },
  });
  const response = new Promise<{ status: number; connection?: string; text: string }>(
    (resolve, reject) => {
      request.on('error', reject);
      request.on('response', (answer) => {
        let text = '';
        answer.setEncoding('utf8');
        answer.on('data', (chunk: string) => (text += chunk));
        answer.on('end', () =>
          resolve({ status: answer.statusCode!, connection: answer.headers.connection, text }),
        );
        answer.on('error', reject);
      });
    },
  );
  request.write(body.slice(0, half));
  return { response, finish: () => request.end(body.slice(half)) };
}

/** A client that sends a request header a byte at a time and never finishes it. */
function trickle(url: string) {
  const { port } = new URL(url);
  const socket = net.connect(Number(port), '127.0.0.1');
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
  const timer = setInterval(() => socket.writable && socket.write('a'), 100);
  void closed.then(() => clearInterval(timer));
  return { closed, stop: () => (clearInterval(timer), socket.destroy()) };
}

/** A keep-alive connection that has had its answer and sits idle. */
async function idleKeepAlive(url: string) {
  const { port } = new URL(url);
  const socket = net.connect(Number(port), '127.0.0.1');
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  let received = '';
  await new Promise<void>((resolve) => {
    socket.on('data', (chunk) => {
      received += chunk.toString();
      if (received.includes('"ok"') || received.includes('\r\n\r\n')) resolve();
    });
    socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  });
  expect(received).toMatch(/^HTTP\/1\.1 200/);
  return { closed, destroy: () => socket.destroy() };
}

describe('stopping the forum (finding 7)', () => {
  it('on SIGTERM stops accepting, finishes in-flight requests, closes idle connections, and exits however slow a client is', async () => {
    const database = await forumDatabase();
    const forum = await startForum({ ...database.env, SHUTDOWN_TIMEOUT_MS: '2000' });
    const slowClients: Array<{ stop(): void }> = [];
    try {
      const member = await registerOverHttp(forum.url, 'patient-poster');
      const idle = await idleKeepAlive(forum.url);
      slowClients.push({ stop: idle.destroy });
      const trickler = trickle(forum.url);
      slowClients.push(trickler);
      const inFlight = [1, 2, 3].map((n) => slowPreview(forum.url, member, `marker-${n}`));
      await sleep(500); // let the server take the headers of each request in flight

      forum.child.kill('SIGTERM');
      // The idle keep-alive connection is closed while requests are still in flight…
      await idle.closed;
      // …no new connection is accepted…
      await expect(fetch(`${forum.url}/healthz`)).rejects.toThrow();
      // …and the requests in flight finish normally.
      for (const request of inFlight) request.finish();
      const answers = await Promise.all(inFlight.map((request) => request.response));
      answers.forEach((answer, index) => {
        expect(answer.status).toBe(200);
        // …and tell the client not to send another request on that connection.
        expect(answer.connection).toBe('close');
        expect(answer.text).toContain(`marker-${index + 1}`);
      });

      // The client still trickling its header does not keep the process alive.
      expect(await forum.exited).toBe(0);
      await trickler.closed;
      expect(forum.output()).toContain('shutting down');
      expect(forum.output()).not.toMatch(/\n\s+at /);
    } finally {
      for (const client of slowClients) client.stop();
      forum.child.kill('SIGKILL');
      await forum.exited;
      await database.drop();
    }
  }, 90_000);

  it('does the same on SIGINT (Ctrl-C)', async () => {
    const database = await forumDatabase();
    const forum = await startForum({ ...database.env, SHUTDOWN_TIMEOUT_MS: '2000' });
    const trickler = trickle(forum.url);
    try {
      await sleep(300);
      forum.child.kill('SIGINT');
      expect(await forum.exited).toBe(0);
      await trickler.closed;
    } finally {
      trickler.stop();
      forum.child.kill('SIGKILL');
      await forum.exited;
      await database.drop();
    }
  }, 90_000);
});

describe('the embedded database is locked by the operating system (finding 8)', () => {
  it('is not blocked by a stale forum.pid naming a live, unrelated process', () => {
    const dataDir = freshDir();
    // An earlier version's pid file, naming a process that is alive and is not a forum.
    mkdirSync(dataDir);
    writeFileSync(path.join(dataDir, 'forum.pid'), String(process.pid));
    const migrated = migrate({ DATA_DIR: dataDir });
    expect(migrated.out).toContain('Applied');
    expect(migrated.code).toBe(0);
    expect(readdirSync(dataDir)).not.toContain('forum.pid');
  }, 60_000);

  it('refuses a second opener clearly while the first lives, and is free once it is killed', async () => {
    const dataDir = freshDir();
    const first = await startForum({ DATA_DIR: dataDir });
    try {
      const command = migrate({ DATA_DIR: dataDir });
      expect(command.code).toBe(1);
      expect(command.out).toContain(`in use by another process (pid ${first.child.pid})`);
      expect(command.out).toContain('Stop it first');
      expect(command.out).not.toMatch(/\n\s+at /);

      const second = spawnForum({ DATA_DIR: dataDir });
      expect(await second.exited).toBe(1);
      expect(second.output()).toContain(`in use by another process (pid ${first.child.pid})`);
      expect(second.output()).not.toMatch(/\n\s+at /);
      expect((await fetch(`${first.url}/readyz`)).status).toBe(200);
    } finally {
      first.child.kill('SIGKILL');
      await first.exited;
    }

    // Killed without a chance to clean up: whatever it left behind does not block the next start.
    const next = await startForum({ DATA_DIR: dataDir });
    try {
      expect((await fetch(`${next.url}/readyz`)).status).toBe(200);
      next.child.kill('SIGTERM');
      expect(await next.exited).toBe(0);
    } finally {
      next.child.kill('SIGKILL');
    }
    expect(readdirSync(dataDir)).not.toContain('forum.lock');
  }, 90_000);
});

describe('secrets shared by instances on one PostgreSQL (finding 9)', () => {
  const POSTGRES = 'postgres://forum:pw@db.invalid:5432/forum';

  it('requires SESSION_SECRET and ANON_SECRET with DATABASE_URL, naming both, generating nothing', () => {
    const dataDir = freshDir();
    let error: unknown;
    try {
      loadConfig({ DATABASE_URL: POSTGRES, DATA_DIR: dataDir });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toMatch(/SESSION_SECRET is required when DATABASE_URL is set/);
    expect(message).toMatch(/ANON_SECRET is required when DATABASE_URL is set/);
    expect(existsSync(path.join(dataDir, 'secrets.json'))).toBe(false);

    expect(() =>
      loadConfig({
        DATABASE_URL: POSTGRES,
        DATA_DIR: dataDir,
        SESSION_SECRET: SECRETS.SESSION_SECRET,
      }),
    ).toThrow(/ANON_SECRET is required when DATABASE_URL is set/);

    const config = loadConfig({ DATABASE_URL: POSTGRES, DATA_DIR: dataDir, ...SECRETS });
    expect(config.sessionSecret).toBe(SECRETS.SESSION_SECRET);
    expect(config.anonSecret).toBe(SECRETS.ANON_SECRET);
    expect(existsSync(path.join(dataDir, 'secrets.json'))).toBe(false);
  });

  it('still generates them for the embedded database, and lets commands that need none run without', () => {
    const dataDir = freshDir();
    expect(loadConfig({ DATA_DIR: dataDir }).anonSecret.length).toBeGreaterThanOrEqual(32);
    const commandConfig = loadConfig(
      { DATABASE_URL: POSTGRES, DATA_DIR: freshDir() },
      { secrets: false },
    );
    expect(commandConfig.databaseUrl).toBe(POSTGRES);
  });

  it('npm start says so at start-up, without a stack trace', async () => {
    const forum = spawnForum({ DATABASE_URL: POSTGRES, DATA_DIR: freshDir() });
    expect(await forum.exited).toBe(1);
    expect(forum.output()).toContain('SESSION_SECRET is required when DATABASE_URL is set');
    expect(forum.output()).toContain('ANON_SECRET is required when DATABASE_URL is set');
    expect(forum.output()).not.toMatch(/\n\s+at /);
  }, 60_000);

  it.runIf(process.env.DATABASE_URL)(
    'npm run migrate and npm run user need no secrets on PostgreSQL',
    async () => {
      const database = await createTestDatabase();
      try {
        const migrated = migrate({ DATABASE_URL: database.url });
        expect(migrated.out).toContain('Applied');
        expect(migrated.code).toBe(0);
        const user = command('server/cli/user.ts', { DATABASE_URL: database.url }, [
          'role',
          'nobody',
          'member',
        ]);
        expect(user.out).toContain('There is no member called "nobody".');
        expect(user.out).not.toContain('SECRET');
      } finally {
        await database.drop();
      }
    },
    60_000,
  );
});
