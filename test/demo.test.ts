import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

describe('npm run demo', () => {
  it('starts a filled forum with fictional vendors and prints the logins', async () => {
    const { DATABASE_URL: _ignored, ...env } = process.env;
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli/demo.ts'], {
      cwd: root,
      env: { ...env, NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'warn' },
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`the demo did not start: ${output}`)),
          110_000,
        );
        child.stdout.on('data', () => {
          // The last line printed: the logins above it have arrived by then.
          const match = /try (http:\/\/[^\s/]+)\/vendors\//.exec(output);
          if (match) {
            clearTimeout(timer);
            resolve(match[1]!);
          }
        });
        child.on('exit', (code) => reject(new Error(`the demo exited with ${code}: ${output}`)));
      });
      expect(output).toMatch(/moderator: demo_moderator \/ \S+/);
      const vendor = await (await fetch(`${url}/vendors/globex-hardware`)).text();
      expect(vendor).toContain('<h1>Globex Hardware</h1>');
      expect(vendor).toContain('No call back on a $500k deal');
      expect((vendor.match(/class="thread-card"/g) ?? []).length).toBeGreaterThan(5);
      // Two vendors answer stories, with figures behind them; the others are not on the forum.
      expect(output).toMatch(/representative of Globex Hardware: globex_channel_team \/ \S+/);
      expect(output).toMatch(/representative of Hooli Cloud: hooli_partner_desk \/ \S+/);
      expect(vendor).toMatch(
        /Responded to <strong>\d+%<\/strong> of stories in the last 12 months/,
      );
      expect(vendor).toMatch(/Partners say resolved: <strong>\d+ of \d+<\/strong>/);
      expect(vendor).toContain('Vendor answered · resolved');
      // Its program, what partners of each tier say it delivered, and its changes on the trend.
      expect(vendor).toContain('program: <a href="#profile">Globex PartnerFirst</a>');
      expect(vendor).toMatch(
        /\d+ of \d+ (Gold|Silver|Platinum|Registered) partners say not delivered/,
      );
      expect(vendor).toContain('Demo units for Gold partners cut from four to one per year.');
      expect(vendor).toContain('<line class="trend-change"');
      const quiet = await (await fetch(`${url}/vendors/initech-storage`)).text();
      expect(quiet).toContain('Not on Partner Stories yet');
      const front = await (await fetch(`${url}/?sort=new`)).text();
      expect(front).toContain(
        'Highest partner level, and still no special bid, no discount, no demo',
      );
      const vendors = await (await fetch(`${url}/vendors`)).text();
      expect((vendors.match(/<td><a href="\/vendors\//g) ?? []).length).toBeGreaterThanOrEqual(25);
    } finally {
      child.kill('SIGTERM');
    }
  }, 120_000);
});
