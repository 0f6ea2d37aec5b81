import { spawn } from 'node:child_process';
import pg from 'pg';
import { CommandError } from './run.js';

/** What to do by hand when pg_dump or pg_restore cannot be run here. */
export const POSTGRES_GUIDANCE = `On PostgreSQL, back up with PostgreSQL's own tools, from a machine that reaches the database,
in the same major version as the server or newer:

  pg_dump --format=custom --file=forum.dump "$DATABASE_URL"
  pg_restore --no-owner --no-privileges --single-transaction --exit-on-error --dbname="$DATABASE_URL" forum.dump

(apt-get install postgresql-client, or run them in the official postgres image.) Keep
SESSION_SECRET and ANON_SECRET apart from the dump: see "Operate it" in the README.`;

/**
 * A connection URL without its password, and the environment that passes the password instead:
 * on the command line it would show in the process list.
 */
function connection(databaseUrl: string) {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  return {
    url: url.toString(),
    env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) },
  };
}

/** Runs a PostgreSQL client tool; its own messages go to the terminal as they come. */
function run(tool: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new CommandError(`${tool} is not installed here.\n\n${POSTGRES_GUIDANCE}`)
          : error,
      ),
    );
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new CommandError(`${tool} failed (exit code ${code}); see its message above.`)),
    );
  });
}

/** pg_dump in its custom format: compressed, and pg_restore can pick from it. */
export async function dumpPostgres(databaseUrl: string, file: string) {
  const { url, env } = connection(databaseUrl);
  await run('pg_dump', ['--format=custom', `--file=${file}`, `--dbname=${url}`], env);
}

/**
 * pg_restore into an empty database, or, with `clean`, over the forum's tables in that one
 * (they are dropped first). All or nothing: one transaction, stopped at the first error.
 */
export async function restorePostgres(databaseUrl: string, file: string, clean: boolean) {
  if (!clean && (await countTables(databaseUrl)) > 0) {
    throw new CommandError(
      'The database in DATABASE_URL already has tables. Restore into a new, empty database ' +
        '(createdb, then point DATABASE_URL at it), or add --clean to replace the forum in this ' +
        'one: npm run restore -- FILE --clean',
    );
  }
  const { url, env } = connection(databaseUrl);
  await run(
    'pg_restore',
    [
      '--no-owner',
      '--no-privileges',
      '--single-transaction',
      '--exit-on-error',
      ...(clean ? ['--clean', '--if-exists'] : []),
      `--dbname=${url}`,
      file,
    ],
    env,
  );
}

async function countTables(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ count: string }>(
      `select count(*) from information_schema.tables
       where table_schema not in ('pg_catalog', 'information_schema')`,
    );
    return Number(rows[0]?.count ?? 0);
  } finally {
    await client.end();
  }
}
