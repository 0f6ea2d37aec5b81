import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from '../../server/db/index.js';

/** Where the forum under test keeps its data: made fresh for one run, disposed of after it. */
export interface Store {
  label: string;
  /** A scratch directory of this run: the server's log, and PGlite's data. */
  dir: string;
  /** What the forum needs in its environment to use this store. */
  env: Record<string, string>;
  /** Opens the database directly, once the forum has stopped (PGlite admits one process). */
  open(): Promise<Database>;
  /** Drops the database; keeps the scratch directory when asked (to read the log after a failure). */
  dispose(keepDir: boolean): Promise<void>;
}

const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export async function createStore(kind: 'pglite' | 'postgres'): Promise<Store> {
  const adminUrl = process.env.DATABASE_URL || DEFAULT_ADMIN_URL;
  if (kind === 'postgres') assertLoopback(adminUrl);
  const dir = mkdtempSync(path.join(tmpdir(), 'partner-stories-loadtest-'));
  const removeDir = (keep: boolean) => {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  };
  if (kind === 'pglite') {
    const dataDir = path.join(dir, 'data');
    return {
      label: `PGlite (embedded) in ${dataDir}`,
      dir,
      env: { DATA_DIR: dataDir },
      open: () => openDatabase({ databaseUrl: undefined, dataDir }),
      dispose: async (keep) => removeDir(keep),
    };
  }
  const name = `partner_stories_loadtest_${randomBytes(4).toString('hex')}`;
  await adminQuery(adminUrl, `create database "${name}"`).catch((error: unknown) => {
    removeDir(false);
    throw error;
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    label: `PostgreSQL, fresh database ${name} on ${url.host}`,
    dir,
    env: { DATABASE_URL: url.toString() },
    open: () => openDatabase({ databaseUrl: url.toString(), dataDir: dir }),
    dispose: async (keep) => {
      await adminQuery(adminUrl, `drop database if exists "${name}" with (force)`);
      removeDir(keep);
    },
  };
}

/** The load test only ever runs against this machine: never a shared or remote server. */
function assertLoopback(url: string) {
  const parsed = new URL(url);
  const socket = parsed.hostname === '' && (parsed.searchParams.get('host') ?? '').startsWith('/');
  if (!socket && !LOOPBACK.has(parsed.hostname))
    throw new Error(`Refusing to load-test PostgreSQL on ${parsed.hostname}: loopback only.`);
}

async function adminQuery(url: string, statement: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
