import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import { loadConfig } from '../config.js';
import { MEMORY_DATABASE } from '../db/index.js';
import { lockDataDir } from '../db/lock.js';
import { restorePostgres } from './postgres-tools.js';
import { CommandError, givenPath, runTask } from './run-task.js';

const USAGE = 'Usage: npm run restore -- FILE [--clean]';
const SECRETS_REMINDER =
  'Start the forum with the SESSION_SECRET and ANON_SECRET it had when the backup was taken ' +
  '(or put its secrets.json back into DATA_DIR): with another ANON_SECRET it refuses to start.';

// npm run restore -- FILE: a backup made by npm run backup, into DATA_DIR (the files there are
// kept aside) or into the PostgreSQL database of DATABASE_URL (empty, or with --clean).
runTask(async () => {
  const args = process.argv.slice(2);
  const clean = args.includes('--clean');
  const given = args.find((arg) => !arg.startsWith('--'));
  if (!given) throw new CommandError(USAGE);
  const file = givenPath(given);
  const config = loadConfig(process.env, { secrets: false });
  if (!existsSync(file)) throw new CommandError(`There is no file ${file}.`);
  if (config.databaseUrl === MEMORY_DATABASE)
    throw new CommandError('DATABASE_URL=memory:// is a throw-away database; restore elsewhere.');
  const bytes = readFileSync(file);
  const pgDump = bytes.subarray(0, 5).toString('latin1') === 'PGDMP';
  if (config.databaseUrl) {
    if (!pgDump)
      throw new CommandError(
        `${file} is not a pg_dump file. A backup of the embedded database is restored without DATABASE_URL.`,
      );
    await restorePostgres(config.databaseUrl, file, clean);
    console.log(`Restored ${file} into the database of DATABASE_URL.\n${SECRETS_REMINDER}`);
    return;
  }
  if (pgDump)
    throw new CommandError(
      `${file} is a pg_dump file of a PostgreSQL database: set DATABASE_URL to restore it there.`,
    );
  const aside = await restoreEmbedded(bytes, config.dataDir, file);
  console.log(
    `Restored ${file} into ${path.join(config.dataDir, 'pglite')}.` +
      (aside
        ? `\nThe database that was there is kept in ${aside}; delete it when all is well.`
        : '') +
      `\n${SECRETS_REMINDER}`,
  );
});

/** Whether a tarball starts with a PostgreSQL data directory's PG_VERSION, as PGlite's do. */
function isDataDirectory(tarball: Buffer): boolean {
  const name = tarball.subarray(0, 100).toString('utf8').split('\0')[0] ?? '';
  return name.replace(/^\.?\//, '') === 'PG_VERSION';
}

/** Loads the backup into DATA_DIR/pglite, moving what was there aside; returns where to. */
async function restoreEmbedded(bytes: Buffer, dataDir: string, file: string) {
  let tarball: Buffer | undefined;
  try {
    tarball = gunzipSync(bytes);
  } catch {
    // reported below
  }
  if (!tarball || !isDataDirectory(tarball))
    throw new CommandError(`${file} is not a backup of the embedded database (npm run backup).`);

  mkdirSync(dataDir, { recursive: true });
  const unlock = await lockDataDir(dataDir); // refused while the forum runs
  try {
    const target = path.join(dataDir, 'pglite');
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const aside = existsSync(target)
      ? path.join(dataDir, `pglite.before-restore-${stamp}`)
      : undefined;
    if (aside) renameSync(target, aside);
    try {
      mkdirSync(target);
      const pglite = await PGlite.create({ dataDir: target, loadDataDir: new Blob([bytes]) });
      await pglite.query('select 1');
      await pglite.close();
    } catch (error) {
      rmSync(target, { recursive: true, force: true });
      if (aside) renameSync(aside, target);
      throw new CommandError(
        `The backup could not be loaded (${(error as Error).message}); DATA_DIR is as it was.`,
      );
    }
    return aside;
  } finally {
    unlock();
  }
}
