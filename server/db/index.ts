import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect, type LogEvent, type PostgresPool } from 'kysely';
import pg from 'pg';
import type { DatabaseLimits } from '../config.js';
import type { DB } from './schema.js';
import { DatabaseUnavailableError } from './errors.js';
import { PGliteDialect } from './pglite-dialect.js';
import { openPool, openProbe } from './postgres-pool.js';
import { routingPool, type ReplicaStats } from './replica.js';
import { lockDataDir } from './lock.js';

export type { DB } from './schema.js';

/** Use an in-memory embedded database (tests, throw-away demos). */
export const MEMORY_DATABASE = 'memory://';

/**
 * `memory-copy:` and the path of a file written from dumpDataDir(): an in-memory embedded
 * database that starts as a copy of that data directory. The tests migrate one database, dump
 * it once, and open a copy per test file instead of creating and migrating a new one each time.
 * Only a configuration built in code can name it: DATABASE_URL accepts memory:// and postgres://.
 */
export const MEMORY_COPY_PREFIX = 'memory-copy:';

export interface Database {
  db: Kysely<DB>;
  kind: 'pglite' | 'postgres';
  /** Every SQL statement run so far: lets tests show a page costs a fixed number of queries. */
  queryCount(): number;
  /** Connections open, in use and waited for (PGlite: its one connection), for /metrics. */
  stats(): PoolStats;
  /** With a read replica: connections taken from the primary and from the replica so far. */
  replicaStats?(): ReplicaStats;
  /** PGlite only: its data directory as a gzipped tarball, taken between two statements. */
  dumpDataDir?(): Promise<Blob>;
  /**
   * Resolves when the database answers, without waiting for the pool (PostgreSQL: a connection
   * of its own; PGlite, in this process: while it is open). Fails while the database is away.
   */
  ping(): Promise<void>;
  /** Runs work without the statement timeout, on connections of its own (migrations at start). */
  withoutTimeouts<T>(work: (db: Kysely<DB>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface PoolStats {
  size: number;
  inUse: number;
  waiting: number;
}

export interface DatabaseOptions {
  databaseUrl: string | undefined;
  dataDir: string;
  onQueryError?: (error: unknown) => void;
  /** Called with the SQL text (never the parameters) of statements taking slowQueryMs or more. */
  onSlowQuery?: (sql: string, durationMs: number) => void;
  slowQueryMs?: number;
  /** PostgreSQL only: a read replica for the page queries run inside `onReplica`. */
  replicaUrl?: string;
  /** PostgreSQL only: pool size and time limits. Unset (commands): 10 connections, no limits. */
  limits?: DatabaseLimits;
  /** A connection the server ended or that broke (PostgreSQL restart, failover, network). */
  onConnectionLost?: (error: Error) => void;
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
      // No connection to be had (refused, timed out, not accepting, pool closing): a 503.
      const client = await pool.connect().catch((error: unknown) => {
        throw new DatabaseUnavailableError(error);
      });
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
  const counter = { queries: 0 };
  const log = (event: LogEvent) => {
    counter.queries++;
    if (event.level === 'error') options.onQueryError?.(event.error);
    if (event.queryDurationMillis >= (options.slowQueryMs ?? Infinity))
      options.onSlowQuery?.(event.query.sql, Math.round(event.queryDurationMillis));
  };
  const url = options.databaseUrl;
  const copyOf = url?.startsWith(MEMORY_COPY_PREFIX) ? url.slice(MEMORY_COPY_PREFIX.length) : null;
  if (url && url !== MEMORY_DATABASE && copyOf === null)
    return openPostgres(url, options, log, () => counter.queries);
  return openPGlite(options, copyOf, log, () => counter.queries);
}

const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID || oid === NUMERIC_OID
      ? Number
      : oid === DATE_OID
        ? asText
        : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

function openPostgres(
  url: string,
  options: DatabaseOptions,
  log: (event: LogEvent) => void,
  queryCount: () => number,
): Database {
  // A connection the server ends (restart, failover) must not crash the process.
  const onLost = (error: Error) => options.onConnectionLost?.(error);
  const pool = openPool(url, types, options.limits, onLost);
  const probe = openProbe(url);
  const routing = options.replicaUrl
    ? routingPool(
        preparing(pool),
        preparing(openPool(options.replicaUrl, types, options.limits, onLost)),
      )
    : undefined;
  const dialect = new PostgresDialect({ pool: routing?.pool ?? preparing(pool) });
  const db = new Kysely<DB>({ dialect, log });
  return {
    db,
    kind: 'postgres',
    queryCount,
    stats: () => ({
      size: pool.totalCount,
      inUse: pool.totalCount - pool.idleCount,
      waiting: pool.waitingCount,
    }),
    ...(routing && { replicaStats: routing.stats }),
    ping: probe.ping,
    withoutTimeouts: (work) => withoutTimeouts(url, work),
    close: once(async () => {
      await db.destroy();
      await probe.end();
    }),
  };
}

/** Runs work on connections of its own, without the pool's time limits (migrations at start). */
async function withoutTimeouts<T>(url: string, work: (db: Kysely<DB>) => Promise<T>) {
  const plain = new Kysely<DB>({
    dialect: new PostgresDialect({ pool: preparing(openPool(url, types, undefined, () => {})) }),
  });
  try {
    return await work(plain);
  } finally {
    await plain.destroy();
  }
}

async function openPGlite(
  options: DatabaseOptions,
  copyOf: string | null,
  log: (event: LogEvent) => void,
  queryCount: () => number,
): Promise<Database> {
  const inMemory = options.databaseUrl === MEMORY_DATABASE || copyOf !== null;
  const unlock = inMemory ? () => {} : await lockDataDir(options.dataDir);
  try {
    const parsers = { [INT8_OID]: Number, [NUMERIC_OID]: Number, [DATE_OID]: asText };
    // The contrib modules the migrations create as extensions: PostgreSQL finds them installed,
    // PGlite only when given them here (trigram search of vendor names).
    const base = { parsers, extensions: { pg_trgm } };
    const pglite =
      copyOf !== null
        ? await PGlite.create({ ...base, loadDataDir: new Blob([await readFile(copyOf)]) })
        : inMemory
          ? await PGlite.create(base)
          : await PGlite.create({ ...base, dataDir: path.join(options.dataDir, 'pglite') });
    const dialect = new PGliteDialect(pglite);
    const db = new Kysely<DB>({ dialect, log });
    return {
      db,
      kind: 'pglite',
      queryCount,
      stats: () => dialect.stats(),
      dumpDataDir: () => pglite.dumpDataDir('gzip'),
      // One connection in this process: it answers while open, and a query here would only
      // wait behind the pages' queries.
      ping: async () => {
        if (pglite.closed) throw new DatabaseUnavailableError('the embedded database is closed');
      },
      withoutTimeouts: (work) => work(db),
      close: once(async () => {
        await db.destroy();
        await pglite.close();
        unlock();
      }),
    };
  } catch (error) {
    unlock();
    throw error;
  }
}
