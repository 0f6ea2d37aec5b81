import { ConfigError, loadConfig, type Config } from '../config.js';
import { openDatabase, type Database } from '../db/index.js';
import { DatabaseBusyError } from '../db/lock.js';
import { MigrationError, migrateToLatest } from '../db/migrate.js';

/** A command's failure that the person at the terminal can act on; printed without a stack. */
export class CommandError extends Error {}

/**
 * Runs a command against the configured database, brought up to date first, and exits with 0 on
 * success or 1 with a readable message. The embedded database is refused while the forum holds it.
 * A command that neither signs cookies nor tags anonymous posts passes `secrets: false`, so it
 * runs without SESSION_SECRET and ANON_SECRET (its config then holds empty ones).
 */
export function runCommand(
  command: (database: Database, config: Readonly<Config>) => Promise<void>,
  { migrateFirst = true, secrets = true } = {},
) {
  void (async () => {
    let database: Database | undefined;
    try {
      const config = loadConfig(process.env, { secrets });
      database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      if (migrateFirst) await migrateToLatest(database.db);
      await command(database, config);
      await database.close();
      process.exit(0);
    } catch (error) {
      await database?.close().catch(() => {});
      const known =
        error instanceof CommandError ||
        error instanceof ConfigError ||
        error instanceof DatabaseBusyError ||
        error instanceof MigrationError;
      console.error(known ? (error as Error).message : error);
      process.exit(1);
    }
  })();
}
