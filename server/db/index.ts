import { createHash } from 'node:crypto';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, type LogEvent, type PostgresPool } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.js';
import { PGliteDialect } from './pglite-dialect.js';
import { lockDataDir } from './lock.js';

export type { DB } from './schema.js';

/** Use an in-memory embedded database (tests, throw-away demos). */
export const MEMORY_DATABASE = 'memory://';

export interface Database {
  db: Kysely<DB>;
  kind: 'pglite' | 'postgres';
  /** Every SQL statement run so far: lets tests show a page costs a fixed number of queries. */
  queryCount(): number;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl: string | undefined;
  dataDir: string;
  onQueryError?: (error: unknown) => void;
}

/**
 * Runs every statement as a named prepared statement, so that each connection plans a query
 * once instead of on every request: planning the page queries costs more than running them.
 * The name is a hash of the SQL text. (Behind a transaction-mode pooler such as PgBouncer,
 * prepared statements need its max_prepared_statements setting.)
 */
function preparing(pool: pg.Pool) {
  const names = new Map<string, string>();
  const nameOf = (text: string) => {
    let name = names.get(text);
    if (!name) {
      name = 'ps_' + createHash('sha1').update(text).digest('hex').slice(0, 24);
      if (names.size < 10_000) names.set(text, name);
    }
    return name;
  };
  return {
    async connect() {
      const client = await pool.connect();
      return {
        query: (text: string, values: readonly unknown[]) =>
          client.query({ name: nameOf(text), text, values: [...values] }),
        release: () => client.release(),
      };
    },
    end: () => pool.end(),
  } as unknown as PostgresPool; // pg's result type is wider than Kysely's declared one
}

/** Closing twice (a failed readiness check, then shutdown) closes once. */
function once(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => (closing ??= close());
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;
// Dates stay 'YYYY-MM-DD' strings: pg would make a local-midnight Date of them, PGlite a UTC one.
const DATE_OID = 1082;
const asText = (value: string) => value;

/**
 * Opens PostgreSQL when a URL is given, else the embedded PGlite in DATA_DIR. Both return
 * bigint and numeric columns as JS numbers, so queries behave the same on either; the counts and
 * ids of this forum stay far below 2^53.
 * Fails with DatabaseBusyError when another process holds the embedded database's files.
 */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  let queries = 0;
  const log = (event: LogEvent) => {
    queries++;
    if (event.level === 'error') options.onQueryError?.(event.error);
  };
  const url = options.databaseUrl;
  if (url && url !== MEMORY_DATABASE) {
    const pool = new pg.Pool({
      connectionString: url,
      max: 10,
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === INT8_OID || oid === NUMERIC_OID
            ? Number
            : oid === DATE_OID
              ? asText
              : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    });
    // An idle connection the server drops (restart, failover) must not crash the process.
    pool.on('error', (error) => options.onQueryError?.(error));
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: preparing(pool) }), log });
    return { db, kind: 'postgres', queryCount: () => queries, close: once(() => db.destroy()) };
  }

  const unlock = url === MEMORY_DATABASE ? () => {} : await lockDataDir(options.dataDir);
  try {
    const parsers = { [INT8_OID]: Number, [NUMERIC_OID]: Number, [DATE_OID]: asText };
    const pglite =
      url === MEMORY_DATABASE
        ? await PGlite.create({ parsers })
        : await PGlite.create({ dataDir: path.join(options.dataDir, 'pglite'), parsers });
    const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite), log });
    const close = once(async () => {
      await db.destroy();
      await pglite.close();
      unlock();
    });
    return { db, kind: 'pglite', queryCount: () => queries, close };
  } catch (error) {
    unlock();
    throw error;
  }
}
