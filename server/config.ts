import path from 'node:path';
import { getHeapStatistics } from 'node:v8';
import {
  parseDatabaseUrl,
  parseEnvName,
  parseInteger,
  parseMailFrom,
  parseMetricsToken,
  parsePublicUrl,
  parseRedisUrl,
  parseReplicaUrl,
  parseSmtpUrl,
  parseTrustProxy,
  type Env,
  type EnvName,
  type TrustProxy,
} from './config-parsers.js';
import { resolveSecrets } from './secrets.js';

export type { TrustProxy };

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

/** Mail sent outside requests, from a queue in the database (server/mail/). */
export interface MailLimits {
  /** How often each instance looks for mail to send and for notices to mail; 0: never by itself. */
  pollMs: number;
  /** The first wait after a failed sending; each next one doubles. */
  retryMs: number;
  /** After this many failed tries a mail is given up (kept, marked failed). */
  maxAttempts: number;
}

export interface Config {
  env: EnvName;
  port: number;
  host: string;
  /** Unset: the embedded PGlite database in `dataDir`. */
  databaseUrl: string | undefined;
  /**
   * Unset: every query goes to DATABASE_URL. Set (PostgreSQL only): the page queries of GET
   * requests go to this read replica, except a member's for `replicaLagMs` after they wrote.
   */
  databaseReplicaUrl: string | undefined;
  /** How far the replica may lag behind: a member reads from the primary this long after a write. */
  replicaLagMs: number;
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
  /** Unset: mail is written to DATA_DIR/outbox as .eml files and its links are logged. */
  smtpUrl: string | undefined;
  /** The sender of every mail. */
  mailFrom: string;
  /** Where readers reach the forum: the links in mail start with it. */
  publicUrl: string;
  mail: MailLimits;
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

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads one whole-number variable within bounds; a bad value is reported, the default used. */
type IntegerReader = (name: string, fallback: number, min: number, max: number) => number;

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
  const int: IntegerReader = (name, fallback, min, max) =>
    parseInteger(name, env[name], fallback, min, max, problems);
  const nodeEnv = parseEnvName(env.NODE_ENV, problems);
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
    port: int('PORT', 3000, 0, 65535),
    host: env.HOST || '127.0.0.1',
    databaseUrl,
    databaseReplicaUrl: parseReplicaUrl(env.DATABASE_REPLICA_URL, databaseUrl, problems),
    dataDir,
    ...secrets,
    trustProxy: parseTrustProxy(env.TRUST_PROXY, problems),
    redisUrl: parseRedisUrl(env.REDIS_URL, problems),
    redisPrefix: env.REDIS_PREFIX || 'partner-stories:',
    logLevel,
    metricsToken: parseMetricsToken(env.METRICS_TOKEN, problems),
    smtpUrl: parseSmtpUrl(env.SMTP_URL, problems),
    mailFrom: parseMailFrom(env.MAIL_FROM, problems),
    publicUrl: '',
    ...readLimits(int),
  };
  config.publicUrl = parsePublicUrl(
    env.PUBLIC_URL,
    `http://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host}:${config.port}`,
    problems,
  );
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}

/** The numeric settings, each with its default and bounds. */
function readLimits(int: IntegerReader) {
  return {
    rateLimits: {
      login: int('RATE_LIMIT_LOGIN', 10, 1, 10_000_000),
      register: int('RATE_LIMIT_REGISTER', 5, 1, 10_000_000),
      writes: int('RATE_LIMIT_WRITES', 30, 1, 10_000_000),
    },
    bodyLimit: int('BODY_LIMIT', 256 * 1024, 1024, 10 * 1024 * 1024),
    pageCacheMs: int('PAGE_CACHE_MS', 1000, 0, 60_000),
    pageCacheBytes: int('PAGE_CACHE_BYTES', 32 * 1024 * 1024, 0, 1024 * 1024 * 1024),
    sessionMaxAgeDays: int('SESSION_MAX_AGE_DAYS', 90, 1, 3650),
    autoHideReporters: int('AUTO_HIDE_REPORTERS', 3, 1, 1000),
    reporterMinAgeDays: int('REPORTER_MIN_AGE_DAYS', 7, 0, 3650),
    shutdownTimeoutMs: int('SHUTDOWN_TIMEOUT_MS', 10_000, 100, 600_000),
    slowQueryMs: int('SLOW_QUERY_MS', 500, 0, 3_600_000),
    replicaLagMs: int('DATABASE_REPLICA_LAG_MS', 5000, 0, 3_600_000),
    mail: {
      pollMs: int('MAIL_POLL_MS', 5000, 0, 3_600_000),
      retryMs: int('MAIL_RETRY_MS', 60_000, 10, 86_400_000),
      maxAttempts: int('MAIL_MAX_ATTEMPTS', 8, 1, 100),
    },
    search: {
      rateLimit: int('RATE_LIMIT_SEARCH', 30, 1, 10_000_000),
      timeoutMs: int('SEARCH_TIMEOUT_MS', 2000, 100, 60_000),
      concurrency: int('SEARCH_CONCURRENCY', 4, 1, 100),
      queue: int('SEARCH_QUEUE', 10, 0, 10_000),
    },
    database: {
      poolSize: int('DATABASE_POOL_SIZE', 10, 1, 1000),
      connectTimeoutMs: int('DATABASE_CONNECT_TIMEOUT_MS', 5000, 100, 3_600_000),
      statementTimeoutMs: int('DATABASE_STATEMENT_TIMEOUT_MS', 10_000, 0, 3_600_000),
      idleInTransactionTimeoutMs: int(
        'DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS',
        30_000,
        0,
        3_600_000,
      ),
    },
    overload: {
      maxEventLoopDelayMs: int('OVERLOAD_MAX_EVENT_LOOP_DELAY_MS', 1000, 0, 60_000),
      // Shed before V8 runs out of heap, not after: 90 % of the limit it was started with.
      maxHeapUsedBytes: int(
        'OVERLOAD_MAX_HEAP_BYTES',
        Math.floor(getHeapStatistics().heap_size_limit * 0.9),
        0,
        Number.MAX_SAFE_INTEGER,
      ),
      maxPoolWaiting: int('OVERLOAD_MAX_POOL_WAITING', 50, 0, 1_000_000),
    },
    markdown: {
      timeoutMs: int('MARKDOWN_TIMEOUT_MS', 2000, 100, 60_000),
      threads: int('MARKDOWN_THREADS', 2, 1, 64),
    },
  } satisfies Partial<Config>;
}
