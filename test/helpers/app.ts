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
    dataDir: '/nonexistent-test-data-dir',
    sessionSecret: 'test-session-secret-that-is-long-enough-0123456789',
    anonSecret: 'test-anon-secret-that-is-long-enough-0123456789abc',
    trustProxy: false,
    logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
    rateLimits: { login: 1000, register: 1000, writes: 1000 },
    bodyLimit: 256 * 1024,
    pageCacheMs: 0,
    pageCacheBytes: 32 * 1024 * 1024,
    sessionMaxAgeDays: 90,
    autoHideReporters: 3,
    reporterMinAgeDays: 7,
    shutdownTimeoutMs: 10_000,
    search: { rateLimit: 1000, timeoutMs: 2000, concurrency: 2, queue: 10 },
    ...overrides,
  } satisfies Config);
}

/** Builds the real app on a database of its own; close() stops it and drops the database. */
export async function createTestApp(overrides: Partial<Config> = {}): Promise<TestApp> {
  const database: TestDatabase = await createTestDatabase();
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
