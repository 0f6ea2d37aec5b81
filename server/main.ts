import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { DatabaseBusyError } from './db/lock.js';
import { MigrationError } from './db/migrate.js';

/** Starts the forum, and stops it gracefully: in-flight requests finish, then the database closes. */
async function main() {
  const config = loadConfig();
  const app = await buildApp(config);
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    try {
      await app.close();
      process.exit(0);
    } catch (error) {
      app.log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  const database = config.databaseUrl ? 'PostgreSQL' : `the embedded database in ${config.dataDir}`;
  console.log(`Partner Stories is running at http://${config.host}:${config.port}/ on ${database}`);
}

main().catch((error: unknown) => {
  if (
    error instanceof ConfigError ||
    error instanceof DatabaseBusyError ||
    error instanceof MigrationError
  ) {
    console.error(error.message);
  } else {
    console.error('The forum could not start:', error);
  }
  process.exit(1);
});
