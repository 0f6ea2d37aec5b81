import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../server/app.js';
import { testConfig } from './helpers/app.js';
import { TestClient, registerMember } from './helpers/client.js';
import { createTestDatabase } from './helpers/database.js';

const root = path.resolve(import.meta.dirname, '..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'partner-stories-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function env(extra: Record<string, string> = {}) {
  const { DATABASE_URL: _ignored, ...rest } = process.env;
  return { ...rest, NODE_ENV: 'test', DATA_DIR: dataDir, ...extra };
}

function userCommand(args: string[], extra: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/user.ts', ...args], {
    cwd: root,
    env: env(extra),
    encoding: 'utf8',
  });
  return { code: result.status, out: result.stdout + result.stderr };
}

describe('npm run user -- role', () => {
  it('makes a member an admin, and says so', async () => {
    const app = await buildApp(testConfig({ databaseUrl: undefined, dataDir }));
    await registerMember(new TestClient(app), 'first-admin');
    await app.close();

    const result = userCommand(['role', 'first-admin', 'admin']);
    expect(result.out).toContain('first-admin is now an admin.');
    expect(result.code).toBe(0);

    const again = await buildApp(testConfig({ databaseUrl: undefined, dataDir }));
    const row = await again.db
      .selectFrom('users')
      .select('role')
      .where('username', '=', 'first-admin')
      .executeTakeFirst();
    const log = await again.db
      .selectFrom('moderation_log')
      .select(['moderator', 'action', 'member', 'detail'])
      .execute();
    await again.close();
    expect(row?.role).toBe('admin');
    expect(log).toEqual([
      { moderator: 'command line', action: 'role', member: 'first-admin', detail: 'admin' },
    ]);
  });

  it('says clearly when the member does not exist, or the role is wrong', () => {
    const missing = userCommand(['role', 'ghost', 'moderator']);
    expect(missing.code).toBe(1);
    expect(missing.out).toContain('There is no member called "ghost".');
    const badRole = userCommand(['role', 'first-admin', 'king']);
    expect(badRole.code).toBe(1);
    expect(badRole.out).toContain('"king" is not a role');
    const usage = userCommand([]);
    expect(usage.out).toContain('Usage: npm run user -- role <username>');
    for (const result of [missing, badRole, usage]) expect(result.out).not.toMatch(/\n\s+at /);
  });

  it('refuses to touch the embedded database while the forum runs, without harm', async () => {
    const app = await buildApp(testConfig({ databaseUrl: undefined, dataDir }));
    try {
      const result = userCommand(['role', 'first-admin', 'member']);
      expect(result.code).toBe(1);
      expect(result.out).toContain('Stop it first');
      expect(result.out).not.toMatch(/\n\s+at /);
      const row = await app.db
        .selectFrom('users')
        .select('role')
        .where('username', '=', 'first-admin')
        .executeTakeFirst();
      expect(row?.role).toBe('admin');
    } finally {
      await app.close();
    }
  });

  // Runs in the suite's PostgreSQL pass; on the embedded database the test above applies.
  it.runIf(process.env.DATABASE_URL)(
    'works while the forum runs when the database is PostgreSQL',
    async () => {
      const database = await createTestDatabase();
      const app = await buildApp(testConfig({ databaseUrl: database.url }));
      try {
        await registerMember(new TestClient(app), 'pg-mod');
        const result = userCommand(['role', 'pg-mod', 'moderator'], { DATABASE_URL: database.url });
        expect(result.out).toContain('pg-mod is now a moderator.');
        const row = await app.db
          .selectFrom('users')
          .select('role')
          .where('username', '=', 'pg-mod')
          .executeTakeFirst();
        expect(row?.role).toBe('moderator');
      } finally {
        await app.close();
        await database.drop();
      }
    },
  );
});

describe('npm start', () => {
  it('serves, then shuts down cleanly on SIGTERM, releasing the database', async () => {
    const startDir = mkdtempSync(path.join(tmpdir(), 'partner-stories-start-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: root,
      env: env({ DATA_DIR: startDir, PORT: '0', LOG_LEVEL: 'info' }),
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no start: ${output}`)), 30_000);
        child.stdout.on('data', () => {
          const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
          if (match) {
            clearTimeout(timer);
            resolve(match[1]!);
          }
        });
      });
      const response = await fetch(`${url}/readyz`);
      expect(response.status).toBe(200);
      expect(existsSync(path.join(startDir, 'forum.lock'))).toBe(true);

      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(output).toContain('shutting down');
      expect(existsSync(path.join(startDir, 'forum.lock'))).toBe(false);
    } finally {
      child.kill('SIGKILL');
      rmSync(startDir, { recursive: true, force: true });
    }
  });
});
