import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Env, EnvName } from './config-parsers.js';

const MIN_SECRET_LENGTH = 32;

interface Secrets {
  sessionSecret: string;
  anonSecret: string;
}

export function resolveSecrets(
  env: Env,
  nodeEnv: EnvName,
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
