import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Thrown when another process already holds the embedded database's files. */
export class DatabaseBusyError extends Error {
  constructor(readonly pid: number) {
    super(
      `The embedded database is in use by another process (pid ${pid}), most likely the running forum. ` +
        'Stop it first, then run this command again. (With DATABASE_URL set to a PostgreSQL server, ' +
        'commands can run while the forum runs.)',
    );
    this.name = 'DatabaseBusyError';
  }
}

/**
 * PGlite's files belong to one process at a time; two processes writing them corrupt the data.
 * A pid file next to the data guards it. A lock left by a process that has died is taken over.
 */
export function lockDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'forum.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(file, 'utf8'));
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
        throw new DatabaseBusyError(holder);
      }
      rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not lock ${file}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
