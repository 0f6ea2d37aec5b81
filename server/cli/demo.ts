import { hashPassword } from '../accounts/passwords.js';
import { buildApp } from '../app.js';
import { ConfigError, loadConfig } from '../config.js';
import { MEMORY_DATABASE } from '../db/index.js';
import { seedDemo } from '../demo/seed.js';

const DEMO_PASSWORD = 'demo-password-123';

// npm run demo: the forum on a fresh in-memory database filled with a fictional data set.
// Nothing is written to disk; every start is the same demo forum again.
async function main() {
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: MEMORY_DATABASE,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    SESSION_SECRET: process.env.SESSION_SECRET ?? 'demo-session-secret-not-for-production-use',
    ANON_SECRET: process.env.ANON_SECRET ?? 'demo-anon-secret-not-for-production-use-0000',
    // The in-memory database runs on the event loop, and filling it stalls the loop for a
    // while: shedding on that delay would turn a newcomer's first page into a 503.
    OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: process.env.OVERLOAD_MAX_EVENT_LOOP_DELAY_MS ?? '0',
  });
  const app = await buildApp(config);
  console.log('Filling the demo forum (fictional vendors and stories)…');
  const logins = await seedDemo(app.db, app.anonymity, await hashPassword(DEMO_PASSWORD));
  const stop = async () => {
    await app.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  const address = await app.listen({ port: config.port, host: config.host });
  console.log(`Partner Stories demo is running at ${address}/`);
  console.log(`  moderator: ${logins.moderator} / ${DEMO_PASSWORD}`);
  console.log(`  member:    ${logins.member} / ${DEMO_PASSWORD}`);
  for (const { username, vendor } of logins.representatives)
    console.log(`  representative of ${vendor}: ${username} / ${DEMO_PASSWORD}`);
  console.log(`  try ${address}/vendors/globex-hardware`);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
