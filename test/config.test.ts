import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../server/config.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'partner-stories-config-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const SECRET = 's'.repeat(40);

describe('configuration', () => {
  it('has working defaults and generates secrets once, kept in DATA_DIR', () => {
    const config = loadConfig({ DATA_DIR: dataDir });
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: undefined,
      trustProxy: false,
    });
    expect(config.sessionSecret.length).toBeGreaterThanOrEqual(32);
    expect(config.anonSecret).not.toBe(config.sessionSecret);
    const file = path.join(dataDir, 'secrets.json');
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o077).toBe(0);
    const again = loadConfig({ DATA_DIR: dataDir });
    expect(again.anonSecret).toBe(config.anonSecret);
    expect(JSON.parse(readFileSync(file, 'utf8')).anonSecret).toBe(config.anonSecret);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://forum:pw@db:5432/forum',
      SESSION_SECRET: SECRET,
      ANON_SECRET: SECRET + 'x',
      TRUST_PROXY: '1',
      NODE_ENV: 'production',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      databaseUrl: 'postgres://forum:pw@db:5432/forum',
      trustProxy: 1,
      env: 'production',
    });
  });

  it('reports every bad variable at once, clearly', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        NODE_ENV: 'staging',
        TRUST_PROXY: 'sometimes',
        SESSION_SECRET: 'short',
        DATA_DIR: dataDir,
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('PORT must be a whole number');
    expect(message).toContain('DATABASE_URL must start with postgres://');
    expect(message).toContain('NODE_ENV must be');
    expect(message).toContain('TRUST_PROXY must be');
    expect(message).toContain('SESSION_SECRET must be at least 32 characters');
  });

  it('requires both secrets in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: dataDir })).toThrow(
      /SESSION_SECRET is required when NODE_ENV=production[\s\S]*ANON_SECRET is required/,
    );
  });
});
