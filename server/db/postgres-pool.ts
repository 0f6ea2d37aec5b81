import pg from 'pg';
import type { DatabaseLimits } from '../config.js';

const APPLICATION = 'partner-stories';
/** The readiness check's own connection waits at most this long to open. */
const PROBE_TIMEOUT_MS = 1500;

/**
 * Every client of the pool gets an 'error' listener of its own for its whole life. pg-pool
 * listens only while a client is idle and removes its listener while a request holds it, so a
 * connection the server ends then (a restart, a failover, pg_terminate_backend, 57P01) would
 * emit 'error' to nobody and kill the process. The query in flight, if any, fails with the same
 * error and its request is answered 503; the broken client is dropped when released.
 */
function guardClients(pool: pg.Pool, onLost: (error: Error) => void) {
  pool.on('connect', (client) => client.on('error', onLost));
  // An idle client's error reaches the pool (after pg-pool has dropped the client).
  pool.on('error', onLost);
}

/**
 * The forum's connection pool. `limits` unset (commands, benchmarks): ten connections and no
 * time limits of our own. A time limit of 0 leaves the server's own setting.
 */
export function openPool(
  url: string,
  types: pg.CustomTypesConfig,
  limits: DatabaseLimits | undefined,
  onLost: (error: Error) => void,
): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    application_name: APPLICATION,
    max: limits?.poolSize ?? 10,
    types,
    // A peer that vanished without a word (a failover, a dropped network) is noticed.
    keepAlive: true,
    ...(limits && {
      connectionTimeoutMillis: limits.connectTimeoutMs,
      statement_timeout: limits.statementTimeoutMs,
      idle_in_transaction_session_timeout: limits.idleInTransactionTimeoutMs,
    }),
  });
  guardClients(pool, onLost);
  return pool;
}

/**
 * The readiness check's own connection, so that /readyz never queues behind page queries in
 * the pool: it answers in milliseconds while the pool is busy, fails fast while the database is
 * away, and opens a new connection at the first check after the database is back.
 */
export function openProbe(url: string) {
  const probe = new pg.Pool({
    connectionString: url,
    application_name: `${APPLICATION}-readyz`,
    max: 1,
    connectionTimeoutMillis: PROBE_TIMEOUT_MS,
    statement_timeout: PROBE_TIMEOUT_MS,
    keepAlive: true,
  });
  guardClients(probe, () => {});
  return {
    ping: async () => {
      await probe.query('select 1');
    },
    end: () => probe.end(),
  };
}
