import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../server/config.js';
import { isDatabaseUnavailable, isRetryableConflict } from '../server/db/errors.js';
import { inTransaction, withRetries } from '../server/db/transaction.js';
import { createTestApp, type TestApp } from './helpers/app.js';

// Issue 10, findings 5 and 6: the retry of deadlocks and serialization failures, the errors that
// mean "the database is away", and the pool's settings.

const failure = (code: string, message = `failed with ${code}`) =>
  Object.assign(new Error(message), { code });

describe('withRetries', () => {
  it('retries a deadlock and a serialization failure, then succeeds', async () => {
    let calls = 0;
    const result = await withRetries(
      async () => {
        calls++;
        if (calls === 1) throw failure('40P01', 'deadlock detected');
        if (calls === 2) throw failure('40001', 'could not serialize access');
        return 'done';
      },
      { retries: 3, baseDelayMs: 1 },
    );
    expect(result).toBe('done');
    expect(calls).toBe(3);
  });

  it('gives up after the given number of retries with the last failure', async () => {
    let calls = 0;
    const attempt = withRetries(
      async () => {
        calls++;
        throw failure('40P01', 'deadlock detected');
      },
      { retries: 3, baseDelayMs: 1 },
    );
    await expect(attempt).rejects.toMatchObject({ code: '40P01' });
    expect(calls).toBe(4);
  });

  it('does not retry other failures', async () => {
    for (const code of ['23505', '57P01', '42P01', undefined]) {
      let calls = 0;
      await expect(
        withRetries(
          async () => {
            calls++;
            throw code ? failure(code) : new Error('plain');
          },
          { retries: 3, baseDelayMs: 1 },
        ),
      ).rejects.toThrow();
      expect(calls).toBe(1);
    }
  });

  it('waits a little longer after each failure, with jitter, and never long', async () => {
    const delays: number[] = [];
    await expect(
      withRetries(
        async () => {
          throw failure('40001');
        },
        { retries: 3, baseDelayMs: 10, sleep: async (ms) => void delays.push(ms) },
      ),
    ).rejects.toThrow();
    expect(delays).toHaveLength(3);
    delays.forEach((delay, i) => {
      expect(delay).toBeGreaterThanOrEqual(10 * 2 ** i * 0.5);
      expect(delay).toBeLessThanOrEqual(10 * 2 ** i * 1.5);
    });
  });
});

describe('what the errors mean', () => {
  it('tells a lost or refused connection from other failures', () => {
    for (const error of [
      failure('57P01', 'terminating connection due to administrator command'),
      failure('57P02'),
      failure('57P03'),
      failure('08006'),
      failure('08001'),
      failure('ECONNREFUSED'),
      failure('ECONNRESET'),
      new Error('Connection terminated unexpectedly'),
      new Error('Connection terminated due to connection timeout'),
      new Error('Client has encountered a connection error and is not queryable'),
      new Error('wrapped', { cause: failure('57P01') }),
    ])
      expect(isDatabaseUnavailable(error), String(error)).toBe(true);
    for (const error of [failure('23505'), failure('42601'), new Error('nope'), null, 'text'])
      expect(isDatabaseUnavailable(error), String(error)).toBe(false);
  });

  it('knows which conflicts are worth another try', () => {
    expect(isRetryableConflict(failure('40P01'))).toBe(true);
    expect(isRetryableConflict(failure('40001'))).toBe(true);
    expect(isRetryableConflict(failure('23505'))).toBe(false);
  });
});

describe('inTransaction', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await sql`create table retry_probe (n int)`.execute(t.app.db);
  });
  afterAll(async () => t.close());

  it('rolls back a failed try and commits the retry once', async () => {
    let calls = 0;
    await inTransaction(
      t.app.db,
      async (trx) => {
        calls++;
        await sql`insert into retry_probe values (${calls})`.execute(trx);
        if (calls < 3) throw failure('40P01', 'deadlock detected');
      },
      { baseDelayMs: 1 },
    );
    const { rows } = await sql<{ n: number }>`select n from retry_probe`.execute(t.app.db);
    expect(rows).toEqual([{ n: 3 }]);
  });
});

describe('database settings', () => {
  const base = { NODE_ENV: 'test', DATA_DIR: '/nonexistent' };

  it('has sane defaults', () => {
    const config = loadConfig(base, { secrets: false });
    expect(config.database).toEqual({
      poolSize: 10,
      connectTimeoutMs: 5000,
      statementTimeoutMs: 10_000,
      idleInTransactionTimeoutMs: 30_000,
    });
    expect(config.overload.maxEventLoopDelayMs).toBe(1000);
    expect(config.overload.maxPoolWaiting).toBe(50);
    expect(config.overload.maxHeapUsedBytes).toBeGreaterThan(100 * 1024 * 1024);
  });

  it('reads them from the environment', () => {
    const config = loadConfig(
      {
        ...base,
        DATABASE_POOL_SIZE: '4',
        DATABASE_CONNECT_TIMEOUT_MS: '1500',
        DATABASE_STATEMENT_TIMEOUT_MS: '0',
        DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '60000',
        OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '0',
        OVERLOAD_MAX_HEAP_BYTES: '0',
        OVERLOAD_MAX_POOL_WAITING: '7',
      },
      { secrets: false },
    );
    expect(config.database).toEqual({
      poolSize: 4,
      connectTimeoutMs: 1500,
      statementTimeoutMs: 0,
      idleInTransactionTimeoutMs: 60_000,
    });
    expect(config.overload).toEqual({
      maxEventLoopDelayMs: 0,
      maxHeapUsedBytes: 0,
      maxPoolWaiting: 7,
    });
  });

  it('names every bad value', () => {
    let problems: string[] = [];
    try {
      loadConfig(
        {
          ...base,
          DATABASE_POOL_SIZE: '0',
          DATABASE_CONNECT_TIMEOUT_MS: 'soon',
          DATABASE_STATEMENT_TIMEOUT_MS: '-1',
          OVERLOAD_MAX_POOL_WAITING: '1.5',
        },
        { secrets: false },
      );
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      problems = (error as ConfigError).problems;
    }
    expect(problems.join('\n')).toMatch(/DATABASE_POOL_SIZE/);
    expect(problems.join('\n')).toMatch(/DATABASE_CONNECT_TIMEOUT_MS/);
    expect(problems.join('\n')).toMatch(/DATABASE_STATEMENT_TIMEOUT_MS/);
    expect(problems.join('\n')).toMatch(/OVERLOAD_MAX_POOL_WAITING/);
  });
});
