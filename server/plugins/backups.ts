import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import { serveBackups } from '../db/backup-channel.js';

/**
 * On the embedded database, lets `npm run backup` ask this process for a consistent copy while
 * it runs (see server/db/backup-channel.ts). PostgreSQL has pg_dump for that.
 */
export const backupsPlugin = fp<{ config: Readonly<Config> }>(
  async (app, { config }) => {
    const dump = app.database.dumpDataDir;
    if (app.database.kind !== 'pglite' || config.databaseUrl || !dump) return;
    const stop = await serveBackups(config.dataDir, dump, (error) =>
      app.log.error({ err: error }, 'backup failed'),
    );
    if (!stop) {
      app.log.warn(
        'DATA_DIR is too long a path for the backup socket: stop the forum to back it up',
      );
      return;
    }
    app.addHook('onClose', stop);
  },
  { name: 'backups', dependencies: ['database'] },
);
