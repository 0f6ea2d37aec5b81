import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { getHeapStatistics } from 'node:v8';

export type TrustProxy = boolean | number | string;

export interface RateLimits {
  /** POST /login attempts per IP per minute. */
  login: number;
  /** POST /register attempts per IP per hour. */
  register: number;
  /** Other writes (posts, votes, reports) per member per minute. */
  writes: number;
}

/** Full-text search's own share of the server (server/search/share.ts). */
export interface SearchLimits {
  /** Searches per address per minute. */
  rateLimit: number;
  /** A search statement is cancelled after this long; a queued search waits at most this long. */
  timeoutMs: number;
  /** Searches that may use the database at once, per process (one on the embedded database). */
  concurrency: number;
  /** Searches that may wait for a slot; beyond that they get a 503 with Retry-After. */
  queue: number;
}

/** Markdown is formatted in worker threads (server/markdown.ts). */
export interface MarkdownLimits {
  /** A text that takes a worker longer than this to format is refused with a 400. */
  timeoutMs: number;
  /** Worker threads formatting Markdown at once, per process; more texts wait their turn. */
  threads: number;
}

/** PostgreSQL connections and their time limits (the embedded database has one connection). */
export interface DatabaseLimits {
  /** Connections per process. */
  poolSize: number;
  /** Waiting longer than this for a connection (new or free) fails the request with 503. */
  connectTimeoutMs: number;
  /** PostgreSQL cancels a statement running longer than this; 0 turns the limit off. */
  statementTimeoutMs: number;
  /** PostgreSQL ends a session left idle inside a transaction this long; 0 turns it off. */
  idleInTransactionTimeoutMs: number;
}

/** When requests are shed early with 503 and Retry-After (server/plugins/overload.ts). */
export interface OverloadLimits {
  /** Mean event-loop delay over the last second; 0 turns the check off. */
  maxEventLoopDelayMs: number;
  /** V8 heap in use; 0 turns the check off. */
  maxHeapUsedBytes: number;
  /** Queries waiting for a database connection. */
  maxPoolWaiting: number;
}

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  /** Unset: the embedded PGlite database in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  sessionSecret: string;
  anonSecret: string;
  trustProxy: TrustProxy;
  /** Unset: rate limits count per process. Set: all instances share them through this Redis. */
  redisUrl: string | undefined;
  /** Prefix of this forum's keys in Redis, so that several forums can share one. */
  redisPrefix: string;
  logLevel: string;
  rateLimits: RateLimits;
  /** Request bodies above this many bytes get a 413 page. */
  bodyLimit: number;
  /** How long a public page is served from memory to readers without cookies; 0 turns it off. */
  pageCacheMs: number;
  /** The page cache keeps at most this many bytes, dropping the least recently used page first. */
  pageCacheBytes: number;
  /** A session ends this many days after login at the latest, however often it is used. */
  sessionMaxAgeDays: number;
  /** Reports from this many established members hide a post until a moderator decides. */
  autoHideReporters: number;
  /** A reporter counts toward that once their account is this old and has a visible post. */
  reporterMinAgeDays: number;
  /** After SIGTERM or SIGINT, the process exits within this long whatever its clients do. */
  shutdownTimeoutMs: number;
  /** Unset: no /metrics. Set: /metrics answers only `Authorization: Bearer <this>`. */
  metricsToken: string | undefined;
  /** Statements slower than this many milliseconds are logged (SQL text only); 0 logs every one. */
  slowQueryMs: number;
  search: SearchLimits;
  database: DatabaseLimits;
  overload: OverloadLimits;
  markdown: MarkdownLimits;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const MIN_SECRET_LENGTH = 32;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Turns the environment into one frozen configuration, or throws a ConfigError naming every
 * bad variable. Without DATABASE_URL, and outside production, missing secrets are generated once
 * and kept in DATA_DIR/secrets.json so that sessions and anonymous tags survive a restart. With
 * DATABASE_URL they are required: every instance on one database must share them.
 * `secrets: false` is for commands that neither sign cookies nor tag posts (npm run migrate, npm
 * run user): the secrets are then neither required nor generated, and come back empty.
 */
export function loadConfig(
  env: Env = process.env,
  { secrets: needSecrets = true }: { secrets?: boolean } = {},
): Readonly<Config> {
  const problems: string[] = [];
  const nodeEnv = parseEnvName(env.NODE_ENV, problems);
  const port = parseInteger('PORT', env.PORT, 3000, 0, 65535, problems);
  const dataDir = path.resolve(env.DATA_DIR || './data');
  const databaseUrl = parseDatabaseUrl(env.DATABASE_URL, problems);
  const logLevel = env.LOG_LEVEL || (nodeEnv === 'test' ? 'silent' : 'info');
  if (!LOG_LEVELS.includes(logLevel))
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  const secrets = needSecrets
    ? resolveSecrets(env, nodeEnv, dataDir, databaseUrl, problems)
    : { sessionSecret: '', anonSecret: '' };
  const config: Config = {
    env: nodeEnv,
    port,
    host: env.HOST || '127.0.0.1',
    databaseUrl,
    dataDir,
    sessionSecret: secrets.sessionSecret,
    anonSecret: secrets.anonSecret,
    trustProxy: parseTrustProxy(env.TRUST_PROXY, problems),
    redisUrl: parseRedisUrl(env.REDIS_URL, problems),
    redisPrefix: env.REDIS_PREFIX || 'partner-stories:',
    logLevel,
    rateLimits: {
      login: parseInteger('RATE_LIMIT_LOGIN', env.RATE_LIMIT_LOGIN, 10, 1, 100000, problems),
      register: parseInteger(
        'RATE_LIMIT_REGISTER',
        env.RATE_LIMIT_REGISTER,
        5,
        1,
        100000,
        problems,
      ),
      writes: parseInteger('RATE_LIMIT_WRITES', env.RATE_LIMIT_WRITES, 30, 1, 100000, problems),
    },
    bodyLimit: parseInteger(
      'BODY_LIMIT',
      env.BODY_LIMIT,
      256 * 1024,
      1024,
      10 * 1024 * 1024,
      problems,
    ),
    pageCacheMs: parseInteger('PAGE_CACHE_MS', env.PAGE_CACHE_MS, 1000, 0, 60_000, problems),
    pageCacheBytes: parseInteger(
      'PAGE_CACHE_BYTES',
      env.PAGE_CACHE_BYTES,
      32 * 1024 * 1024,
      0,
      1024 * 1024 * 1024,
      problems,
    ),
    sessionMaxAgeDays: parseInteger(
      'SESSION_MAX_AGE_DAYS',
      env.SESSION_MAX_AGE_DAYS,
      90,
      1,
      3650,
      problems,
    ),
    autoHideReporters: parseInteger(
      'AUTO_HIDE_REPORTERS',
      env.AUTO_HIDE_REPORTERS,
      3,
      1,
      1000,
      problems,
    ),
    reporterMinAgeDays: parseInteger(
      'REPORTER_MIN_AGE_DAYS',
      env.REPORTER_MIN_AGE_DAYS,
      7,
      0,
      3650,
      problems,
    ),
    shutdownTimeoutMs: parseInteger(
      'SHUTDOWN_TIMEOUT_MS',
      env.SHUTDOWN_TIMEOUT_MS,
      10_000,
      100,
      600_000,
      problems,
    ),
    search: parseSearchLimits(env, problems),
    database: parseDatabaseLimits(env, problems),
    overload: parseOverloadLimits(env, problems),
    markdown: {
      timeoutMs: parseInteger(
        'MARKDOWN_TIMEOUT_MS',
        env.MARKDOWN_TIMEOUT_MS,
        2000,
        100,
        60_000,
        problems,
      ),
      threads: parseInteger('MARKDOWN_THREADS', env.MARKDOWN_THREADS, 2, 1, 64, problems),
    },
    metricsToken: parseMetricsToken(env.METRICS_TOKEN, problems),
    slowQueryMs: parseInteger('SLOW_QUERY_MS', env.SLOW_QUERY_MS, 500, 0, 3_600_000, problems),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}

function parseSearchLimits(env: Env, problems: string[]): SearchLimits {
  return {
    rateLimit: parseInteger('RATE_LIMIT_SEARCH', env.RATE_LIMIT_SEARCH, 30, 1, 100000, problems),
    timeoutMs: parseInteger(
      'SEARCH_TIMEOUT_MS',
      env.SEARCH_TIMEOUT_MS,
      2000,
      100,
      60_000,
      problems,
    ),
    concurrency: parseInteger('SEARCH_CONCURRENCY', env.SEARCH_CONCURRENCY, 2, 1, 100, problems),
    queue: parseInteger('SEARCH_QUEUE', env.SEARCH_QUEUE, 10, 0, 10_000, problems),
  };
}

function parseMetricsToken(value: string | undefined, problems: string[]): string | undefined {
  if (!value) return undefined;
  // Prometheus sends it in a header: no spaces or control characters, and too long to guess.
  if (value.length < 16 || !/^[\x21-\x7e]+$/.test(value))
    problems.push('METRICS_TOKEN must be at least 16 printable characters without spaces');
  return value;
}

function parseDatabaseLimits(env: Env, problems: string[]): DatabaseLimits {
  const ms = (name: string, fallback: number, min: number) =>
    parseInteger(name, env[name], fallback, min, 3_600_000, problems);
  return {
    poolSize: parseInteger('DATABASE_POOL_SIZE', env.DATABASE_POOL_SIZE, 10, 1, 1000, problems),
    connectTimeoutMs: ms('DATABASE_CONNECT_TIMEOUT_MS', 5000, 100),
    statementTimeoutMs: ms('DATABASE_STATEMENT_TIMEOUT_MS', 10_000, 0),
    idleInTransactionTimeoutMs: ms('DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS', 30_000, 0),
  };
}

function parseOverloadLimits(env: Env, problems: string[]): OverloadLimits {
  // Shed before V8 runs out of heap, not after: 90 % of the limit it was started with.
  const heapDefault = Math.floor(getHeapStatistics().heap_size_limit * 0.9);
  return {
    maxEventLoopDelayMs: parseInteger(
      'OVERLOAD_MAX_EVENT_LOOP_DELAY_MS',
      env.OVERLOAD_MAX_EVENT_LOOP_DELAY_MS,
      1000,
      0,
      60_000,
      problems,
    ),
    maxHeapUsedBytes: parseInteger(
      'OVERLOAD_MAX_HEAP_BYTES',
      env.OVERLOAD_MAX_HEAP_BYTES,
      heapDefault,
      0,
      Number.MAX_SAFE_INTEGER,
      problems,
    ),
    maxPoolWaiting: parseInteger(
      'OVERLOAD_MAX_POOL_WAITING',
      env.OVERLOAD_MAX_POOL_WAITING,
      50,
      0,
      1_000_000,
      problems,
    ),
  };
}

function parseEnvName(value: string | undefined, problems: string[]): Config['env'] {
  if (value === undefined || value === '') return 'development';
  if (value === 'development' || value === 'production' || value === 'test') return value;
  problems.push(`NODE_ENV must be development, production or test (got "${value}")`);
  return 'development';
}

function parseInteger(
  name: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
  problems: string[],
): number {
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    problems.push(`${name} must be a whole number from ${min} to ${max} (got "${value}")`);
    return fallback;
  }
  return number;
}

function parseDatabaseUrl(value: string | undefined, problems: string[]): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'memory://') return value; // a throw-away embedded database (demo, tests)
  try {
    const url = new URL(value);
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
      problems.push('DATABASE_URL must start with postgres:// or postgresql://');
    }
  } catch {
    problems.push(
      'DATABASE_URL is not a valid URL (expected postgres://user:password@host:5432/db)',
    );
  }
  return value;
}

function parseRedisUrl(value: string | undefined, problems: string[]): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    if (url.protocol === 'redis:' || url.protocol === 'rediss:') return value;
  } catch {
    // reported below
  }
  problems.push('REDIS_URL must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379');
  return undefined;
}

function parseTrustProxy(value: string | undefined, problems: string[]): TrustProxy {
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  if (/^[0-9a-fA-F.:/, ]+$/.test(value)) return value;
  problems.push(
    'TRUST_PROXY must be true, false, a number of hops, or a comma-separated list of proxy addresses',
  );
  return false;
}

interface Secrets {
  sessionSecret: string;
  anonSecret: string;
}

function resolveSecrets(
  env: Env,
  nodeEnv: Config['env'],
  dataDir: string,
  databaseUrl: string | undefined,
  problems: string[],
) {
  // Instances sharing a PostgreSQL database must share the secrets too, or each would reject the
  // others' cookies and forms and tag anonymous posts differently: never generate them per DATA_DIR.
  const shared = databaseUrl !== undefined && databaseUrl !== 'memory://';
  const requiredWhen =
    nodeEnv === 'production' ? 'NODE_ENV=production' : shared ? 'DATABASE_URL is set' : undefined;
  const given: Partial<Secrets> = {
    sessionSecret: env.SESSION_SECRET || undefined,
    anonSecret: env.ANON_SECRET || undefined,
  };
  for (const [name, value] of [
    ['SESSION_SECRET', given.sessionSecret],
    ['ANON_SECRET', given.anonSecret],
  ] as const) {
    if (value !== undefined && value.length < MIN_SECRET_LENGTH) {
      problems.push(`${name} must be at least ${MIN_SECRET_LENGTH} characters long`);
    }
    if (value === undefined && requiredWhen) {
      const why = shared
        ? '; every instance on that database must use the same SESSION_SECRET and ANON_SECRET'
        : '';
      problems.push(
        `${name} is required when ${requiredWhen} (at least ${MIN_SECRET_LENGTH} characters${why})`,
      );
    }
  }
  if (given.sessionSecret && given.anonSecret) return given as Secrets;
  if (requiredWhen || problems.length > 0) {
    return { sessionSecret: given.sessionSecret ?? '', anonSecret: given.anonSecret ?? '' };
  }
  const kept = readOrCreateSecrets(dataDir);
  return {
    sessionSecret: given.sessionSecret ?? kept.sessionSecret,
    anonSecret: given.anonSecret ?? kept.anonSecret,
  };
}

function readOrCreateSecrets(dataDir: string): Secrets {
  const file = path.join(dataDir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Secrets;
  const secrets: Secrets = {
    sessionSecret: randomBytes(32).toString('base64url'),
    anonSecret: randomBytes(32).toString('base64url'),
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
  return secrets;
}
