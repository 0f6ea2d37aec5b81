import type { Kysely, Transaction } from 'kysely';
import { isRetryableConflict } from './errors.js';
import type { DB } from './schema.js';

export interface RetryOptions {
  /** Tries after the first; a deadlock rarely survives two. */
  retries?: number;
  /** The first wait; each next one doubles, jittered by ±50 %. */
  baseDelayMs?: number;
  /** For tests. */
  sleep?: (ms: number) => Promise<void>;
}

const RETRIES = 3;
const BASE_DELAY_MS = 15;
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs the task, and again after a short jittered wait when it fails with a serialization
 * failure or a deadlock (40001, 40P01), at most `retries` more times. Fails with the last such
 * error when all tries fail (the error handler answers it with 503), or at once with any other.
 */
export async function withRetries<T>(task: () => Promise<T>, options: RetryOptions = {}) {
  const { retries = RETRIES, baseDelayMs = BASE_DELAY_MS, sleep = pause } = options;
  for (let attempt = 0; ; attempt++) {
    try {
      return await task();
    } catch (error) {
      if (attempt >= retries || !isRetryableConflict(error)) throw error;
      await sleep(baseDelayMs * 2 ** attempt * (0.5 + Math.random()));
    }
  }
}

/**
 * Runs `work` in a transaction, tried again from the start when PostgreSQL aborts it to break a
 * deadlock or a serialization conflict. `work` must do nothing outside the transaction that
 * cannot be done twice.
 */
export function inTransaction<T>(
  db: Kysely<DB>,
  work: (trx: Transaction<DB>) => Promise<T>,
  options?: RetryOptions,
): Promise<T> {
  return withRetries(() => db.transaction().execute(work), options);
}
