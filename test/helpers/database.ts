import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { MEMORY_COPY_PREFIX, MEMORY_DATABASE } from '../../server/db/index.js';

/** The migrated database test/global-setup.ts builds once per run, for files to copy. */
export type MigratedTemplate =
  { kind: 'pglite'; dumpFile: string } | { kind: 'postgres'; database: string };

declare module 'vitest' {
  export interface ProvidedContext {
    migratedTemplate: MigratedTemplate;
  }
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A database of its own for one test file: an in-memory PGlite by default, or, when DATABASE_URL
 * is set, a new database on that PostgreSQL server, dropped afterwards. Empty unless `migrated`:
 * then a copy of the template global-setup migrated once (the schema as the app would migrate
 * it, and nothing else: no ANON_SECRET fingerprint, so any secret may open it). Tests of the
 * migrations themselves take an empty one.
 */
export async function createTestDatabase({ migrated = false } = {}): Promise<TestDatabase> {
  const template = migrated ? inject('migratedTemplate') : undefined;
  const server = testServer();
  if (!server) {
    const url =
      template?.kind === 'pglite' ? `${MEMORY_COPY_PREFIX}${template.dumpFile}` : MEMORY_DATABASE;
    return { url, drop: async () => {} };
  }
  if (template && template.kind !== 'postgres')
    throw new Error('The migrated template was built for PGlite, but DATABASE_URL is set.');
  const name = uniqueName(server.name);
  const from = template ? ` template "${template.database}"` : '';
  await adminQuery(server.url, `create database "${name}"${from}`);
  return {
    url: databaseUrl(server.url, name),
    drop: () => adminQuery(server.url, `drop database if exists "${name}" with (force)`),
  };
}

/**
 * The PostgreSQL server of DATABASE_URL, if set. Refuses a database whose name does not say it is
 * for tests: the suite creates and drops databases beside it.
 */
export function testServer(): { url: string; name: string } | undefined {
  const url = process.env.DATABASE_URL;
  if (!url) return undefined;
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!/test/i.test(name)) {
    throw new Error(
      `Refusing to run tests against "${name}": DATABASE_URL must name a test database (its name must contain "test").`,
    );
  }
  return { url, name };
}

/** A new database name beside `base`: lower case, letters, digits and underscores. */
export function uniqueName(base: string, tag = ''): string {
  return `${base}_${tag}${randomBytes(5).toString('hex')}`
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_');
}

/** The URL of another database on the same server. */
export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function adminQuery(url: string, statement: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
