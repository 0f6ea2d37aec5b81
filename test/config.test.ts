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

  it('reads the mail settings, with links to the forum by default', () => {
    const defaults = loadConfig({ DATA_DIR: dataDir, PORT: '4100' });
    expect(defaults).toMatchObject({
      smtpUrl: undefined,
      publicUrl: 'http://127.0.0.1:4100',
      mail: { pollMs: 5000, retryMs: 60_000, maxAttempts: 8 },
    });
    const set = loadConfig({
      DATA_DIR: dataDir,
      SMTP_URL: 'smtps://forum:pw@mail.example.org:465',
      MAIL_FROM: 'Forum <no-reply@example.org>',
      PUBLIC_URL: 'https://forum.example.org/',
      MAIL_POLL_MS: '0',
    });
    expect(set).toMatchObject({
      smtpUrl: 'smtps://forum:pw@mail.example.org:465',
      mailFrom: 'Forum <no-reply@example.org>',
      publicUrl: 'https://forum.example.org',
      mail: { pollMs: 0 },
    });
    let error: unknown;
    try {
      loadConfig({
        DATA_DIR: dataDir,
        SMTP_URL: 'http://mail.example.org',
        MAIL_FROM: 'nobody',
        PUBLIC_URL: 'javascript:alert(1)',
        MAIL_MAX_ATTEMPTS: '0',
      });
    } catch (caught) {
      error = caught;
    }
    const message = (error as ConfigError).message;
    expect(message).toContain('SMTP_URL must be an smtp://');
    expect(message).toContain('MAIL_FROM must be an address');
    expect(message).toContain('PUBLIC_URL must be an http://');
    expect(message).toContain('MAIL_MAX_ATTEMPTS must be a whole number');
  });

  it('requires both secrets in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: dataDir })).toThrow(
      /SESSION_SECRET is required when NODE_ENV=production[\s\S]*ANON_SECRET is required/,
    );
  });
});
