import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import { openDatabase, type Database, type DB } from '../db/index.js';
import { migrateToLatest } from '../db/migrate.js';

declare module 'fastify' {
  interface FastifyInstance {
    db: Kysely<DB>;
    database: Database;
  }
}

/** Opens the database, brings its schema up to date, and closes it after the last request. */
export const databasePlugin = fp<{ config: Readonly<Config> }>(
  async (app, { config }) => {
    const database = await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      onQueryError: (error) => app.log.error({ err: error }, 'query failed'),
      // The SQL text shows which query; its parameters are members' data and stay out of logs.
      slowQueryMs: config.slowQueryMs,
      onSlowQuery: (sql, durationMs) => app.log.warn({ sql, durationMs }, 'slow query'),
      limits: config.database,
      // The request whose query it broke, if any, is answered 503 and logged on its own.
      onConnectionLost: (error) => app.log.warn({ err: error }, 'database connection lost'),
    });
    try {
      // A migration may take longer than a page's statement timeout allows.
      await database.withoutTimeouts(migrateToLatest);
    } catch (error) {
      await database.close();
      throw error;
    }
    app.decorate('database', database);
    app.decorate('db', database.db);
    app.addHook('onClose', async () => database.close());
  },
  { name: 'database' },
);
