// Readers of single environment variables for loadConfig: each returns a usable value and, when
// the variable is bad, adds a sentence naming it to `problems`.

export type Env = Record<string, string | undefined>;
export type TrustProxy = boolean | number | string;
export type EnvName = 'development' | 'production' | 'test';

export function parseEnvName(value: string | undefined, problems: string[]): EnvName {
  if (value === undefined || value === '') return 'development';
  if (value === 'development' || value === 'production' || value === 'test') return value;
  problems.push(`NODE_ENV must be development, production or test (got "${value}")`);
  return 'development';
}

export function parseInteger(
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

export function parseDatabaseUrl(
  value: string | undefined,
  problems: string[],
  name = 'DATABASE_URL',
): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'memory://') return value; // a throw-away embedded database (demo, tests)
  try {
    const url = new URL(value);
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
      problems.push(`${name} must start with postgres:// or postgresql://`);
    }
  } catch {
    problems.push(`${name} is not a valid URL (expected postgres://user:password@host:5432/db)`);
  }
  return value;
}

export function parseReplicaUrl(
  value: string | undefined,
  databaseUrl: string | undefined,
  problems: string[],
): string | undefined {
  if (!value) return undefined;
  const primary = databaseUrl && databaseUrl !== 'memory://';
  if (!primary)
    problems.push('DATABASE_REPLICA_URL needs DATABASE_URL: a replica of which database?');
  const parsed = parseDatabaseUrl(value, problems, 'DATABASE_REPLICA_URL');
  return parsed === 'memory://' ? undefined : parsed;
}

export function parseRedisUrl(value: string | undefined, problems: string[]): string | undefined {
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

export function parseTrustProxy(value: string | undefined, problems: string[]): TrustProxy {
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  if (/^[0-9a-fA-F.:/, ]+$/.test(value)) return value;
  problems.push(
    'TRUST_PROXY must be true, false, a number of hops, or a comma-separated list of proxy addresses',
  );
  return false;
}

export function parseMetricsToken(
  value: string | undefined,
  problems: string[],
): string | undefined {
  if (!value) return undefined;
  // Prometheus sends it in a header: no spaces or control characters, and too long to guess.
  if (value.length < 16 || !/^[\x21-\x7e]+$/.test(value))
    problems.push('METRICS_TOKEN must be at least 16 printable characters without spaces');
  return value;
}

export function parseSmtpUrl(value: string | undefined, problems: string[]): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    if (url.protocol === 'smtp:' || url.protocol === 'smtps:') return value;
  } catch {
    // reported below
  }
  problems.push('SMTP_URL must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail:587');
  return undefined;
}

/** The forum's address as readers reach it: links in mail point there. No trailing slash. */
export function parsePublicUrl(
  value: string | undefined,
  fallback: string,
  problems: string[],
): string {
  if (!value) return fallback;
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:')
      return url.origin + url.pathname.replace(/\/+$/, '');
  } catch {
    // reported below
  }
  problems.push('PUBLIC_URL must be an http:// or https:// URL, e.g. https://forum.example.org');
  return fallback;
}

/** A sender: an address, optionally with a display name ("Forum <noreply@example.org>"). */
export function parseMailFrom(value: string | undefined, problems: string[]): string {
  const fallback = 'Partner Stories <no-reply@localhost>';
  if (!value) return fallback;
  if (/^[^\r\n<>]*<[^\s<>@]+@[^\s<>@]+>$|^[^\s<>@]+@[^\s<>@]+$/.test(value.trim()))
    return value.trim();
  problems.push('MAIL_FROM must be an address, e.g. "Partner Stories <no-reply@example.org>"');
  return fallback;
}
