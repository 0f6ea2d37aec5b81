import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../server/app.js';
import { testConfig } from './helpers/app.js';
import { TestClient, registerMember } from './helpers/client.js';
import { createTestDatabase } from './helpers/database.js';
import { runDumpScenario } from './helpers/dump-scenario.js';
import { postStory } from './helpers/content.js';

// Issue 10, "Operating it": `npm run backup -- FILE` takes a consistent backup while the forum
// runs, `npm run restore -- FILE` brings it back, every table equal, and no backup holds a secret.

const root = path.resolve(import.meta.dirname, '..');
const work = mkdtempSync(path.join(tmpdir(), 'ps-backup-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const secrets = testConfig();

interface Result {
  code: number | null;
  out: string;
}

/** Runs a command without blocking this process, which may be the forum it talks to. */
function command(script: string, args: string[], env: Record<string, string>): Promise<Result> {
  const { DATABASE_URL: _ignored, ...rest } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: root,
      env: { ...rest, NODE_ENV: 'test', ...env },
    });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}
const backup = (file: string, env: Record<string, string>) =>
  command('server/cli/backup.ts', [file], env);
const restore = (file: string, env: Record<string, string>) =>
  command('server/cli/restore.ts', [file], env);

/** What the forum answers on its backup socket to a request with this key. */
function askWithKey(socketPath: string, key: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath, () => socket.write(`backup ${key}\n`));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

/** Every row of every table, the migrations' own included, and where each sequence stands. */
async function everyTable(db: Kysely<never>) {
  const { rows: tables } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(
    db,
  );
  const dump: Record<string, unknown[]> = {};
  for (const { name } of tables) {
    const { rows } = await sql`select * from ${sql.table(name)} as t order by t::text`.execute(db);
    dump[name] = rows;
  }
  return dump;
}

/**
 * Where each sequence stands. After a restore it may stand further on, never behind: PostgreSQL
 * logs sequences 32 values ahead, and a copy of the files replays from that log.
 */
async function sequences(db: Kysely<never>) {
  const { rows } = await sql<{ name: string; value: string | number | null }>`
    select sequencename as name, last_value as value from pg_sequences
    where schemaname = current_schema() order by sequencename`.execute(db);
  return new Map(rows.map((row) => [row.name, Number(row.value ?? 0)]));
}

function expectSequencesNotBehind(restored: Map<string, number>, original: Map<string, number>) {
  expect([...restored.keys()]).toEqual([...original.keys()]);
  for (const [name, value] of original) expect(restored.get(name)).toBeGreaterThanOrEqual(value);
}

function expectNoSecretIn(file: string) {
  const raw = readFileSync(file);
  let contents = raw;
  try {
    contents = gunzipSync(raw);
  } catch {
    // not gzip: pg_dump's custom format compresses table data on its own (checked in plain below)
  }
  for (const secret of [secrets.anonSecret, secrets.sessionSecret]) {
    expect(raw.includes(secret)).toBe(false);
    expect(contents.includes(secret)).toBe(false);
    expect(contents.includes(Buffer.from(secret).toString('base64'))).toBe(false);
  }
  expect(contents.includes('secrets.json')).toBe(false);
}

async function fillForum(app: FastifyInstance) {
  await runDumpScenario(app);
  // A few more stories and a vote on top of the scenario's.
  const late = new TestClient(app);
  await registerMember(late, 'late-member');
  const id = await postStory(late, { title: 'A late story', vendors: 'Tailspin' });
  const voter = new TestClient(app);
  await registerMember(voter, 'late-voter');
  await voter.get(`/threads/${id}`);
  await voter.post(`/threads/${id}/vote`, { value: 'down' });
}

describe.runIf(!process.env.DATABASE_URL)('backup and restore of the embedded database', () => {
  const dataDir = path.join(work, 'forum');
  const restoredDir = path.join(work, 'restored');
  const file = path.join(work, 'forum-backup.tar.gz');
  let snapshot: Record<string, unknown[]>;
  let counters: Map<string, number>;

  it('backs up while the forum runs, a snapshot of that moment, without the secrets', async () => {
    const app = await buildApp(testConfig({ databaseUrl: undefined, dataDir }));
    try {
      // The forum keeps generated secrets in DATA_DIR, next to the database's files.
      writeFileSync(
        path.join(dataDir, 'secrets.json'),
        JSON.stringify({ sessionSecret: secrets.sessionSecret, anonSecret: secrets.anonSecret }),
      );
      await fillForum(app);
      snapshot = await everyTable(app.db as unknown as Kysely<never>);
      counters = await sequences(app.db as unknown as Kysely<never>);
      expect(Object.keys(snapshot).length).toBeGreaterThan(15);
      expect(counters.size).toBeGreaterThan(5);

      // Only the forum's own user may ask for a copy: the key and the socket are theirs alone.
      for (const name of ['forum.backup.key', 'forum.backup.sock'])
        expect(statSync(path.join(dataDir, name)).mode & 0o777).toBe(0o600);
      expect(await askWithKey(path.join(dataDir, 'forum.backup.sock'), 'not-the-key')).toMatch(
        /^error /,
      );

      const result = await backup(file, { DATA_DIR: dataDir });
      expect(result.out).toContain(file);
      expect(result.out).toContain('taken by the running forum');
      expect(result.code, result.out).toBe(0);

      // Written after the backup: not in it.
      const later = new TestClient(app);
      await registerMember(later, 'after-backup');
      await postStory(later, { title: 'never backed up' });
      await sql`insert into forum_state (name, value) values ('after-backup', 'x')`.execute(app.db);
    } finally {
      await app.close();
    }
    expectNoSecretIn(file);
  }, 180_000);

  it('refuses to overwrite a file, or to restore into a running forum', async () => {
    const again = await backup(file, { DATA_DIR: dataDir });
    expect(again.code).toBe(1);
    expect(again.out).toMatch(/already exists/);

    const app = await buildApp(testConfig({ databaseUrl: undefined, dataDir: restoredDir }));
    try {
      const refused = await restore(file, { DATA_DIR: restoredDir });
      expect(refused.code).toBe(1);
      expect(refused.out).toContain('Stop it first');
      expect(refused.out).not.toMatch(/\n\s+at /);
    } finally {
      await app.close();
    }
  }, 120_000);

  it('restores into a data directory, every table equal, the old files kept aside', async () => {
    const result = await restore(file, { DATA_DIR: restoredDir });
    expect(result.code, result.out).toBe(0);
    // The empty database the forum made there a moment ago is kept, not deleted.
    expect(readdirSync(restoredDir).some((name) => name.startsWith('pglite.before-restore-'))).toBe(
      true,
    );
    // The secrets are not restored: the operator brings them (see the README).
    expect(existsSync(path.join(restoredDir, 'secrets.json'))).toBe(false);

    const app = await buildApp(testConfig({ databaseUrl: undefined, dataDir: restoredDir }));
    try {
      expect(await everyTable(app.db as unknown as Kysely<never>)).toEqual(snapshot);
      expectSequencesNotBehind(await sequences(app.db as unknown as Kysely<never>), counters);
      const home = await app.inject({ method: 'GET', url: '/' });
      expect(home.statusCode).toBe(200);
      expect(home.body).toContain('A late story');
      expect(home.body).not.toContain('never backed up');
    } finally {
      await app.close();
    }
  }, 180_000);

  it('backs up a stopped forum too, and says what is wrong with a bad file', async () => {
    const offline = path.join(work, 'offline.tar.gz');
    const result = await backup(offline, { DATA_DIR: restoredDir });
    expect(result.code, result.out).toBe(0);
    expect(result.out).toContain('no forum was running');
    expectNoSecretIn(offline);

    const junk = path.join(work, 'junk.tar.gz');
    writeFileSync(junk, 'not a backup');
    const bad = await restore(junk, { DATA_DIR: path.join(work, 'junk-target') });
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/not a backup/i);
    expect(bad.out).not.toMatch(/\n\s+at /);

    const usage = await backup('', {});
    expect(usage.code).toBe(1);
    expect(usage.out).toContain('Usage: npm run backup -- FILE');
  }, 120_000);
});

function pgToolsMatch(): boolean {
  const url = process.env.DATABASE_URL;
  if (!url) return false;
  const version = spawnSync('pg_dump', ['--version'], { encoding: 'utf8' });
  if (version.status !== 0) return false;
  const server = spawnSync('psql', [url, '-Atc', 'show server_version_num'], { encoding: 'utf8' });
  const client = /(\d+)\.\d+/.exec(version.stdout)?.[1];
  return server.status === 0 && Number(client) >= Math.floor(Number(server.stdout) / 10000);
}

describe.runIf(pgToolsMatch())('backup and restore on PostgreSQL (pg_dump, pg_restore)', () => {
  it('round-trips every table through pg_dump and pg_restore, without the secrets', async () => {
    const source = await createTestDatabase();
    const target = await createTestDatabase();
    const file = path.join(work, 'postgres.dump');
    const env = (url: string) => ({
      DATABASE_URL: url,
      SESSION_SECRET: secrets.sessionSecret,
      ANON_SECRET: secrets.anonSecret,
    });
    const open = (url: string) =>
      new Kysely<never>({
        dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }),
      });
    try {
      const app = await buildApp(testConfig({ databaseUrl: source.url }));
      let snapshot: Record<string, unknown[]>;
      let counters: Map<string, number>;
      try {
        await fillForum(app);
        const plain = open(source.url);
        try {
          snapshot = await everyTable(plain);
          counters = await sequences(plain);
        } finally {
          await plain.destroy();
        }
        const result = await backup(file, env(source.url));
        expect(result.code, result.out).toBe(0);
      } finally {
        await app.close();
      }
      expectNoSecretIn(file);
      const plain = spawnSync('pg_restore', ['--file=-', file], { encoding: 'utf8' });
      expect(plain.status).toBe(0);
      expect(plain.stdout).toContain('late-member');
      expect(plain.stdout).not.toContain(secrets.anonSecret);
      expect(plain.stdout).not.toContain(secrets.sessionSecret);

      const result = await restore(file, env(target.url));
      expect(result.code, result.out).toBe(0);
      // A second restore into the now full database is refused without --clean.
      const again = await restore(file, env(target.url));
      expect(again.code).toBe(1);
      expect(again.out).toContain('--clean');
      const restored = open(target.url);
      try {
        expect(await everyTable(restored)).toEqual(snapshot);
        expect(await sequences(restored)).toEqual(counters);
      } finally {
        await restored.destroy();
      }
    } finally {
      await source.drop();
      await target.drop();
    }
  }, 240_000);
});
