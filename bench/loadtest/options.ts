import { parseArgs } from 'node:util';

export interface Options {
  connections: number;
  seconds: number;
  database: 'pglite' | 'postgres';
  /** Members registered up front and shared by the connections (argon2 makes each costly). */
  members: number;
  /** The client gives up on a request after this long: its outcome is then unknown. */
  timeoutMs: number;
  /** A hard cap on requests sent during the load, whatever the time left. */
  maxRequests: number;
}

const USAGE = `npm run loadtest -- [--connections 200] [--seconds 30] [--database pglite|postgres]
                        [--members 50] [--timeout 10] [--max-requests 200000]

--database postgres uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) as
an admin URL on this machine: it creates a fresh database there and drops it afterwards.`;

/** Reads the command line; throws a message with the usage on anything it does not accept. */
export function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      connections: { type: 'string', default: '200' },
      seconds: { type: 'string', default: '30' },
      database: { type: 'string', default: 'pglite' },
      members: { type: 'string', default: '50' },
      timeout: { type: 'string', default: '10' },
      'max-requests': { type: 'string', default: '200000' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) throw new Error(USAGE);
  const database = values.database;
  if (database !== 'pglite' && database !== 'postgres')
    throw new Error(`--database must be pglite or postgres\n\n${USAGE}`);
  // The bounds keep a typo from turning a load test into a denial of service of this machine.
  return {
    connections: bounded('connections', values.connections, 1, 2000),
    seconds: bounded('seconds', values.seconds, 1, 600),
    database,
    members: bounded('members', values.members, 2, 500),
    timeoutMs: bounded('timeout', values.timeout, 1, 120) * 1000,
    maxRequests: bounded('max-requests', values['max-requests'], 1, 2_000_000),
  };
}

function bounded(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(`--${name} must be a whole number from ${min} to ${max}\n\n${USAGE}`);
  return value;
}
