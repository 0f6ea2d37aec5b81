import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../server/app.js';
import { testConfig } from './helpers/app.js';
import { TestClient, registerMember } from './helpers/client.js';
import { createTestDatabase } from './helpers/database.js';

// Each test starts node with tsx at least once: on a busy machine that takes a while.
const PROCESS_TEST_MS = 120_000;

const root = path.resolve(import.meta.dirname, '..');

/** A data directory of the test's own, removed afterwards whatever happened. */
async function withDataDir<T>(prefix: string, work: (dataDir: string) => Promise<T>) {
  const dataDir = mkdtempSync(path.join(tmpdir(), `partner-stories-${prefix}-`));
  try {
    return await work(dataDir);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function env(dataDir: string, extra: Record<string, string> = {}) {
  const { DATABASE_URL: _ignored, ...rest } = process.env;
  return { ...rest, NODE_ENV: 'test', DATA_DIR: dataDir, ...extra };
}

function output(child: ChildProcess) {
  let text = '';
  child.stdout?.on('data', (chunk) => (text += chunk));
  child.stderr?.on('data', (chunk) => (text += chunk));
  return () => text;
}

/** Runs `npm run user -- …` to its end, without blocking this process while it runs. */
async function userCommand(dataDir: string, args: string[], extra: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli/user.ts', ...args], {
    cwd: root,
    env: env(dataDir, extra),
  });
  const out = output(child);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  return { code, out: out() };
}

/** An embedded forum in `dataDir` with one member, closed again, for a command to work on. */
async function forumWithMember(dataDir: string, username: string) {
  const app = await buildApp(testConfig({ databaseUrl: undefined, dataDir }));
  try {
    await registerMember(new TestClient(app), username);
  } finally {
    await app.close();
  }
}

describe('npm run user -- role', () => {
  it(
    'makes a member an admin, and says so',
    () =>
      withDataDir('cli', async (dataDir) => {
        await forumWithMember(dataDir, 'first-admin');

        const result = await userCommand(dataDir, ['role', 'first-admin', 'admin']);
        expect(result.out).toContain('first-admin is now an admin.');
        expect(result.code).toBe(0);

        const again = await buildApp(testConfig({ databaseUrl: undefined, dataDir }));
        try {
          const row = await again.db
            .selectFrom('users')
            .select('role')
            .where('username', '=', 'first-admin')
            .executeTakeFirst();
          const log = await again.db
            .selectFrom('moderation_log')
            .select(['moderator', 'action', 'member', 'detail'])
            .execute();
          expect(row?.role).toBe('admin');
          expect(log).toEqual([
            { moderator: 'command line', action: 'role', member: 'first-admin', detail: 'admin' },
          ]);
        } finally {
          await again.close();
        }
      }),
    PROCESS_TEST_MS,
  );

  it(
    'says clearly when the member does not exist, or the role is wrong',
    () =>
      withDataDir('cli', async (dataDir) => {
        await forumWithMember(dataDir, 'known-member');
        // One after another: each command holds the embedded database while it runs.
        const missing = await userCommand(dataDir, ['role', 'ghost', 'moderator']);
        const badRole = await userCommand(dataDir, ['role', 'known-member', 'king']);
        const usage = await userCommand(dataDir, []);
        expect(missing.code).toBe(1);
        expect(missing.out).toContain('There is no member called "ghost".');
        expect(badRole.code).toBe(1);
        expect(badRole.out).toContain('"king" is not a role');
        expect(usage.out).toContain('Usage: npm run user -- role <username>');
        for (const result of [missing, badRole, usage]) expect(result.out).not.toMatch(/\n\s+at /);
      }),
    PROCESS_TEST_MS,
  );

  it(
    'refuses to touch the embedded database while the forum runs, without harm',
    () =>
      withDataDir('cli', async (dataDir) => {
        const app = await buildApp(testConfig({ databaseUrl: undefined, dataDir }));
        try {
          await registerMember(new TestClient(app), 'busy-member');
          const result = await userCommand(dataDir, ['role', 'busy-member', 'admin']);
          expect(result.code).toBe(1);
          expect(result.out).toContain('Stop it first');
          expect(result.out).not.toMatch(/\n\s+at /);
          const row = await app.db
            .selectFrom('users')
            .select('role')
            .where('username', '=', 'busy-member')
            .executeTakeFirst();
          expect(row?.role).toBe('member');
        } finally {
          await app.close();
        }
      }),
    PROCESS_TEST_MS,
  );

  // Runs in the suite's PostgreSQL pass; on the embedded database the test above applies.
  it.runIf(process.env.DATABASE_URL)(
    'works while the forum runs when the database is PostgreSQL',
    () =>
      withDataDir('cli', async (dataDir) => {
        const database = await createTestDatabase({ migrated: true });
        try {
          const app = await buildApp(testConfig({ databaseUrl: database.url }));
          try {
            await registerMember(new TestClient(app), 'pg-mod');
            const result = await userCommand(dataDir, ['role', 'pg-mod', 'moderator'], {
              DATABASE_URL: database.url,
            });
            expect(result.out).toContain('pg-mod is now a moderator.');
            const row = await app.db
              .selectFrom('users')
              .select('role')
              .where('username', '=', 'pg-mod')
              .executeTakeFirst();
            expect(row?.role).toBe('moderator');
          } finally {
            await app.close();
          }
        } finally {
          await database.drop();
        }
      }),
    PROCESS_TEST_MS,
  );
});

describe('npm start', () => {
  it(
    'serves, then shuts down cleanly on SIGTERM, releasing the database',
    () =>
      withDataDir('start', async (startDir) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
          cwd: root,
          env: env(startDir, { PORT: '0', LOG_LEVEL: 'info' }),
        });
        const out = output(child);
        const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
        try {
          // However long the start takes; a forum that exits instead fails at once.
          const url = await new Promise<string>((resolve, reject) => {
            child.stdout.on('data', () => {
              const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out());
              if (match) resolve(match[1]!);
            });
            void exited.then((code) => reject(new Error(`exited with ${code}: ${out()}`)));
          });
          const response = await fetch(`${url}/readyz`);
          expect(response.status).toBe(200);
          expect(existsSync(path.join(startDir, 'forum.lock'))).toBe(true);

          child.kill('SIGTERM');
          expect(await exited).toBe(0);
          expect(out()).toContain('shutting down');
          expect(existsSync(path.join(startDir, 'forum.lock'))).toBe(false);
        } finally {
          if (child.exitCode === null && child.signalCode === null) {
            child.kill('SIGKILL');
            await exited;
          }
        }
      }),
    PROCESS_TEST_MS,
  );

  it(
    'says in one line that its port is busy, without a stack trace, and leaves the database free',
    () =>
      withDataDir('busy-port', async (startDir) => {
        const taken = net.createServer();
        await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
        const { port } = taken.address() as AddressInfo;
        try {
          const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
            cwd: root,
            env: env(startDir, { PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' }),
          });
          const out = output(child);
          const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
          expect(code).toBe(1);
          expect(out()).toContain(
            `Port ${port} is in use: stop what uses it, or run PORT=${port + 1} npm start`,
          );
          expect(out()).not.toMatch(/\n\s+at /);
          expect(existsSync(path.join(startDir, 'forum.lock'))).toBe(false);
        } finally {
          await new Promise((resolve) => taken.close(resolve));
        }
      }),
    PROCESS_TEST_MS,
  );
});
