import { chmodSync, existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config.js';
import { MEMORY_DATABASE, openDatabase } from '../db/index.js';
import { NoRunningForumError, requestBackup } from '../db/backup-channel.js';
import { DatabaseBusyError } from '../db/lock.js';
import { dumpPostgres } from './postgres-tools.js';
import { CommandError, givenPath, runTask } from './run-task.js';

const USAGE = 'Usage: npm run backup -- FILE';

// npm run backup -- FILE: the embedded database as a gzipped tarball of its files, taken by the
// running forum if there is one; on PostgreSQL, pg_dump's custom format. Never the secrets.
runTask(async () => {
  if (!process.argv[2]) throw new CommandError(USAGE);
  const file = givenPath(process.argv[2]);
  const config = loadConfig(process.env, { secrets: false });
  if (existsSync(file))
    throw new CommandError(`${file} already exists; a backup never overwrites a file.`);
  if (config.databaseUrl === MEMORY_DATABASE)
    throw new CommandError(
      'DATABASE_URL=memory:// is a throw-away database; there is nothing to back up.',
    );
  // Written under another name first: a backup that stops half-way never looks like a whole one.
  const partial = `${file}.partial`;
  let how = '';
  rmSync(partial, { force: true });
  try {
    if (config.databaseUrl) await dumpPostgres(config.databaseUrl, partial);
    else {
      const { bytes, live } = await backupEmbedded(config.dataDir);
      writeFileSync(partial, bytes, { flag: 'wx' });
      how = live ? ', taken by the running forum' : '; no forum was running';
    }
    // Members' data and password hashes: for the forum's own user only.
    chmodSync(partial, 0o600);
    renameSync(partial, file);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  const size = (statSync(file).size / 1024 / 1024).toFixed(1);
  console.log(
    `Backed up the ${config.databaseUrl ? 'PostgreSQL' : 'embedded'} database to ${file} (${size} MB${how}).\n` +
      'It holds no SESSION_SECRET or ANON_SECRET: keep those apart (see "Operate it" in the README).',
  );
});

/** From the running forum if there is one, else from the files directly, holding their lock. */
async function backupEmbedded(dataDir: string): Promise<{ bytes: Buffer; live: boolean }> {
  if (!existsSync(path.join(dataDir, 'pglite', 'PG_VERSION')))
    throw new CommandError(`There is no embedded database in ${dataDir} (DATA_DIR) to back up.`);
  for (let attempt = 0; ; attempt++) {
    try {
      return { bytes: await requestBackup(dataDir), live: true };
    } catch (error) {
      if (!(error instanceof NoRunningForumError)) throw error;
    }
    try {
      const database = await openDatabase({ databaseUrl: undefined, dataDir });
      try {
        const blob = await database.dumpDataDir!();
        return { bytes: Buffer.from(await blob.arrayBuffer()), live: false };
      } finally {
        await database.close();
      }
    } catch (error) {
      // A forum starting this very moment: ask it once it listens.
      if (!(error instanceof DatabaseBusyError) || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}
