import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import type { Config } from '../../server/config.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface TestApp {
  app: FastifyInstance;
  config: Readonly<Config>;
  close(): Promise<void>;
}

export function testConfig(overrides: Partial<Config> = {}): Readonly<Config> {
  return Object.freeze({
    env: 'test',
    port: 0,
    host: '127.0.0.1',
    databaseUrl: undefined,
    databaseReplicaUrl: undefined,
    replicaLagMs: 5000,
    dataDir: '/nonexistent-test-data-dir',
    sessionSecret: 'test-session-secret-that-is-long-enough-0123456789',
    anonSecret: 'test-anon-secret-that-is-long-enough-0123456789abc',
    trustProxy: false,
    redisUrl: undefined,
    redisPrefix: 'partner-stories-test:',
    logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
    rateLimits: { login: 1000, register: 1000, writes: 1000 },
    bodyLimit: 256 * 1024,
    pageCacheMs: 0,
    pageCacheBytes: 32 * 1024 * 1024,
    sessionMaxAgeDays: 90,
    autoHideReporters: 3,
    reporterMinAgeDays: 7,
    shutdownTimeoutMs: 10_000,
    metricsToken: undefined,
    slowQueryMs: 500,
    smtpUrl: undefined,
    mailFrom: 'Partner Stories <forum@example.org>',
    publicUrl: 'http://forum.example.org',
    // No sending by itself: a test that mails drives the queue (app.mail.drain()).
    mail: { pollMs: 0, retryMs: 60_000, maxAttempts: 8 },
    // Time limits a test does not exercise stay far away, so that a slow, busy machine cannot
    // trip them (the tests of these limits set their own).
    search: { rateLimit: 1000, timeoutMs: 60_000, concurrency: 2, queue: 10 },
    database: {
      poolSize: 10,
      connectTimeoutMs: 5000,
      statementTimeoutMs: 10_000,
      idleInTransactionTimeoutMs: 30_000,
    },
    // Off in tests: files run side by side, and a busy machine must not shed their requests.
    overload: { maxEventLoopDelayMs: 0, maxHeapUsedBytes: 0, maxPoolWaiting: 1_000_000 },
    markdown: { timeoutMs: 60_000, threads: 2 },
    ...overrides,
  } satisfies Config);
}

/**
 * Builds the real app on a database of its own, a copy of the suite's migrated template (see
 * test/global-setup.ts); close() stops it and drops the database.
 */
export async function createTestApp(overrides: Partial<Config> = {}): Promise<TestApp> {
  const database: TestDatabase = await createTestDatabase({ migrated: true });
  const config = testConfig({ databaseUrl: database.url, ...overrides });
  const app = await buildApp(config);
  await app.ready();
  return {
    app,
    config,
    async close() {
      await app.close();
      await database.drop();
    },
  };
}
