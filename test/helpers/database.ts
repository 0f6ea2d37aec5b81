import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { MEMORY_DATABASE } from '../../server/db/index.js';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A database of its own for one test file: a fresh in-memory PGlite by default, or, when
 * DATABASE_URL is set, a new database on that PostgreSQL server, dropped afterwards. Refuses a
 * server database whose name does not say it is for tests.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const base = process.env.DATABASE_URL;
  if (!base) return { url: MEMORY_DATABASE, drop: async () => {} };

  const baseUrl = new URL(base);
  const baseName = decodeURIComponent(baseUrl.pathname.slice(1));
  if (!/test/i.test(baseName)) {
    throw new Error(
      `Refusing to run tests against "${baseName}": DATABASE_URL must name a test database (its name must contain "test").`,
    );
  }
  const name = `${baseName}_${randomBytes(5).toString('hex')}`
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_');
  await adminQuery(base, `create database "${name}"`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => adminQuery(base, `drop database if exists "${name}" with (force)`),
  };
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
