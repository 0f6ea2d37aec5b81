import { AsyncLocalStorage } from 'node:async_hooks';
import type { PostgresPool } from 'kysely';

/**
 * Reads that may go to a read replica: the page queries of a GET request, run inside
 * `onReplica`. Everything else — writes, the session lookup, and a member's pages for a short
 * while after they wrote (read-your-writes) — runs outside it and goes to the primary.
 */
const replicaScope = new AsyncLocalStorage<true>();

export function onReplica<T>(work: () => T): T {
  return replicaScope.run(true, work);
}

export interface ReplicaStats {
  /** Connections taken from the primary's pool and from the replica's, since the start. */
  primary: number;
  replica: number;
}

/**
 * One pool for Kysely that takes each connection from the replica's pool inside `onReplica`, and
 * from the primary's everywhere else. A transaction keeps the connection it began on, so a
 * read-only transaction in a page (search's statement timeout) stays on the replica.
 */
export function routingPool(primary: PostgresPool, replica: PostgresPool) {
  const stats: ReplicaStats = { primary: 0, replica: 0 };
  const pool = {
    async connect() {
      const toReplica = replicaScope.getStore() === true;
      stats[toReplica ? 'replica' : 'primary']++;
      return (toReplica ? replica : primary).connect();
    },
    async end() {
      await Promise.all([primary.end(), replica.end()]);
    },
  } as PostgresPool;
  return { pool, stats: () => ({ ...stats }) };
}
