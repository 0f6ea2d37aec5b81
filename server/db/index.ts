import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, type LogEvent } from 'kysely';
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
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), log });
    return { db, kind: 'postgres', queryCount: () => queries, close: once(() => db.destroy()) };
  }

  const unlock = url === MEMORY_DATABASE ? () => {} : lockDataDir(options.dataDir);
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
