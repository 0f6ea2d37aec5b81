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
for (const url of [process.argv[2] ?? '/']) {
  for (let i = 0; i < 50; i++) await app.inject(url);
  const t0 = performance.now();
  for (let i = 0; i < 2000; i++) await app.inject(url);
  console.log(url, ((performance.now() - t0) / 2000).toFixed(2), 'ms/request sequential');
}
await app.close();
