import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
const config = loadConfig({
  ...process.env,
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/bench_small',
  SESSION_SECRET: 'x'.repeat(40),
  ANON_SECRET: 'y'.repeat(40),
  LOG_LEVEL: 'silent',
});
const app = await buildApp(config);
await app.ready();
const time = async (label: string, fn: () => Promise<unknown>, n = 300) => {
  for (let i = 0; i < 30; i++) await fn();
  const q0 = app.database.queryCount();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn();
  console.log(
    label.padEnd(30),
    ((performance.now() - t0) / n).toFixed(3),
    'ms',
    (app.database.queryCount() - q0) / n,
    'queries',
  );
};
for (const url of process.argv.slice(2)) await time(url, () => app.inject(url));
await app.close();
