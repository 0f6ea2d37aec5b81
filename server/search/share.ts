import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

/** A search that found neither a free slot nor room to wait: answer 503 with Retry-After. */
export class SearchBusyError extends Error {
  constructor() {
    super('Too many searches are running at once');
    this.name = 'SearchBusyError';
  }
}

export interface SearchShareOptions {
  /** Searches that may use the database at once. */
  concurrency: number;
  /** Searches that may wait for a slot; one more is shed at once. */
  queue: number;
  /** A waiting search is shed after this long without a slot. */
  maxWaitMs: number;
}

interface Waiter {
  start: () => void;
  timer: NodeJS.Timeout;
}

/**
 * The small share of the database that searches may use: at most `concurrency` searches run at
 * once, a few more wait in line (first come, first served) for a bounded time, and the rest are
 * refused with SearchBusyError. Page queries never wait behind more than that many searches.
 */
export class SearchShare {
  readonly concurrency: number;
  private running = 0;
  private readonly line: Waiter[] = [];

  constructor(private readonly options: SearchShareOptions) {
    this.concurrency = options.concurrency;
  }

  get active(): number {
    return this.running;
  }
  get waiting(): number {
    return this.line.length;
  }

  /** Runs the task in a slot. Fails with SearchBusyError when none comes free in time. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.running < this.concurrency) {
      this.running++;
      return Promise.resolve();
    }
    if (this.line.length >= this.options.queue) return Promise.reject(new SearchBusyError());
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        start: resolve,
        timer: setTimeout(() => {
          this.line.splice(this.line.indexOf(waiter), 1);
          reject(new SearchBusyError());
        }, this.options.maxWaitMs),
      };
      waiter.timer.unref();
      this.line.push(waiter);
    });
  }

  /** Hands the slot straight to the first in line, so a newcomer cannot overtake it. */
  private release(): void {
    const next = this.line.shift();
    if (!next) {
      this.running--;
      return;
    }
    clearTimeout(next.timer);
    next.start();
  }
}

const shares = new WeakMap<Kysely<DB>, SearchShare>();

/** Gives searches on this database their share (one per app: the search routes make it). */
export function assignSearchShare(db: Kysely<DB>, share: SearchShare): void {
  shares.set(db, share);
}

/**
 * The share of searches on this database, for the metrics and the tests. Fails when the search
 * routes were not registered on the app that owns the database.
 */
export function searchShareOf(db: Kysely<DB>): SearchShare {
  const share = shares.get(db);
  if (!share)
    throw new Error('No search share for this database: are the search routes registered?');
  return share;
}
