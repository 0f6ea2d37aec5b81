import path from 'node:path';
import { ConfigError } from '../config.js';
import { DatabaseBusyError } from '../db/lock.js';
import { CommandError } from './run.js';

export { CommandError };

/**
 * Runs a command that opens the database its own way (backup, restore), and exits with 0, or
 * with 1 and a message the person at the terminal can act on, without a stack for known failures.
 */
export function runTask(task: () => Promise<void>) {
  task().then(
    () => process.exit(0),
    (error: unknown) => {
      const known =
        error instanceof CommandError ||
        error instanceof ConfigError ||
        error instanceof DatabaseBusyError;
      console.error(known ? (error as Error).message : error);
      process.exit(1);
    },
  );
}

/** A path given on the command line, from where the person typed it: npm run moves to the project. */
export function givenPath(file: string): string {
  return path.resolve(process.env.INIT_CWD ?? process.cwd(), file);
}
