import { readdirSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDatabase, type Database } from '../server/db/index.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { migrations } from '../migrations/index.js';
import { buildApp } from '../server/app.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { testConfig } from './helpers/app.js';
import { TestClient, registerMember } from './helpers/client.js';

describe('migrations', () => {
  let testDb: TestDatabase;
  let database: Database;
  beforeAll(async () => {
    testDb = await createTestDatabase();
    database = await openDatabase({ databaseUrl: testDb.url, dataDir: '/nonexistent' });
  });
  afterAll(async () => {
    await database.close();
    await testDb.drop();
  });

  it('lists every numbered file of migrations/ in order', () => {
    const files = readdirSync(new URL('../migrations', import.meta.url))
      .filter((file) => /^\d{4}_.+\.ts$/.test(file))
      .map((file) => file.replace(/\.ts$/, ''))
      .sort();
    expect(Object.keys(migrations)).toEqual(files);
  });

  it('apply on an empty database, and a second run applies nothing and loses nothing', async () => {
    const first = await migrateToLatest(database.db);
    expect(first.map((result) => result.migrationName)).toEqual(Object.keys(migrations));
    expect(first.every((result) => result.status === 'Success')).toBe(true);

    await database.db
      .insertInto('users')
      .values({ username: 'kept', password_hash: 'x' })
      .execute();
    const second = await migrateToLatest(database.db);
    expect(second).toEqual([]);
    const users = await database.db.selectFrom('users').select('username').execute();
    expect(users).toEqual([{ username: 'kept' }]);
    const { rows } = await sql<{
      n: number;
    }>`select count(*)::int as n from kysely_migration`.execute(database.db);
    expect(rows[0]!.n).toBe(Object.keys(migrations).length);
  });
});

describe('the embedded database on disk', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'partner-stories-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps members across a restart of the forum', async () => {
    const config = testConfig({ databaseUrl: undefined, dataDir });
    const first = await buildApp(config);
    await registerMember(new TestClient(first), 'survivor', 'long enough password');
    await first.close();

    const second = await buildApp(config);
    try {
      const client = new TestClient(second);
      const login = await client.submit('/login', '/login', {
        username: 'survivor',
        password: 'long enough password',
      });
      expect(login.statusCode).toBe(303);
    } finally {
      await second.close();
    }
  });

  it('holds a lock while open that refuses another opener, and releases it on close', async () => {
    const config = testConfig({ databaseUrl: undefined, dataDir });
    const app = await buildApp(config);
    try {
      // The lock is a socket the operating system closes with this process; it answers our pid.
      expect(readdirSync(dataDir)).toContain('forum.lock');
      await expect(openDatabase({ databaseUrl: undefined, dataDir })).rejects.toThrow(
        `in use by another process (pid ${process.pid})`,
      );
    } finally {
      await app.close();
    }
    expect(readdirSync(dataDir)).not.toContain('forum.lock');
  });
});
