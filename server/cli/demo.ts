import net from 'node:net';
import { hashPassword } from '../accounts/passwords.js';
import { buildApp } from '../app.js';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { MEMORY_DATABASE } from '../db/index.js';
import { ListenError, listenProblem } from '../listen-errors.js';
import { DEMO_PASSWORD } from '../demo/data.js';
import { seedDemo, type DemoSummary } from '../demo/seed.js';

// npm run demo: the forum on a fresh in-memory database filled with a fictional data set.
// Nothing is written to disk; every start is the same demo forum again.
async function main() {
  const started = Date.now();
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
  // Before a minute of filling: the port must be free, or the fill would be for nothing.
  await checkPort(config);
  console.log('Preparing an in-memory database…');
  const app = await buildApp(config);
  console.log(`  database ready ${seconds(started)}`);
  console.log('Filling the demo forum (fictional vendors and stories)…');
  let step = Date.now();
  const summary = await seedDemo(app.db, app.anonymity, await hashPassword(DEMO_PASSWORD), {
    reportPolicy: {
      autoHideReporters: config.autoHideReporters,
      reporterMinAgeDays: config.reporterMinAgeDays,
    },
    progress: (line) => {
      console.log(`${line} ${seconds(step)}`);
      step = Date.now();
    },
  });
  const stop = async () => {
    await app.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  const address = await app
    .listen({ port: config.port, host: config.host })
    .catch((error: unknown) => {
      throw listenProblem(error, config, 'npm run demo') ?? error;
    });
  printWelcome(address, summary, started);
}

/** Listens on the demo's address for a moment, so that a busy port is told before the fill. */
function checkPort(config: Readonly<Config>) {
  return new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error) => reject(listenProblem(error, config, 'npm run demo') ?? error));
    probe.listen({ port: config.port, host: config.host, exclusive: true }, () =>
      probe.close(() => resolve()),
    );
  });
}

const seconds = (since: number) => `(${Math.round((Date.now() - since) / 1000)} s)`;

function printWelcome(address: string, summary: DemoSummary, started: number) {
  const { logins } = summary;
  const lines = [
    '',
    `Partner Stories demo is running at ${address}/ ${seconds(started)}`,
    '',
    `Log in as any of these (the password is ${DEMO_PASSWORD} for all):`,
    `  moderator: ${logins.moderator} / ${DEMO_PASSWORD}`,
    `  admin: ${logins.admin} / ${DEMO_PASSWORD}`,
    ...logins.representatives.map(
      ({ username, vendor }) => `  representative of ${vendor}: ${username} / ${DEMO_PASSWORD}`,
    ),
    ...logins.members.map(
      ({ username, note }) =>
        `  member: ${username} / ${DEMO_PASSWORD}${note ? `  (${note})` : ''}`,
    ),
    '',
    'Places to try:',
    ...summary.places.map(([path, what]) => `  ${address}${path}  ${what}`),
    '',
    'Everything here is invented and kept in memory only: stop with Ctrl+C, and the next start is the same forum again.',
  ];
  console.log(lines.join('\n'));
}

main().catch((error: unknown) => {
  console.error(
    error instanceof ConfigError || error instanceof ListenError ? error.message : error,
  );
  process.exit(1);
});
