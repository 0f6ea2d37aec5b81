import type { Config } from './config.js';

/** An address the forum cannot listen on, told in one line a newcomer can act on. */
export class ListenError extends Error {}

/**
 * The one-line explanation of why `command` (npm start, npm run demo) cannot listen where the
 * configuration says, or null for an error that is not about the address.
 */
export function listenProblem(
  error: unknown,
  config: Pick<Config, 'port' | 'host'>,
  command: string,
): ListenError | null {
  const code = (error as { code?: string } | null)?.code;
  const next = config.port === 0 ? 3001 : config.port + 1;
  if (code === 'EADDRINUSE')
    return new ListenError(
      `Port ${config.port} is in use: stop what uses it, or run PORT=${next} ${command}`,
    );
  if (code === 'EACCES')
    return new ListenError(
      `Port ${config.port} needs privileges this user does not have: run PORT=${next} ${command}`,
    );
  if (code === 'EADDRNOTAVAIL')
    return new ListenError(
      `${config.host} is not an address of this machine: run HOST=127.0.0.1 ${command}`,
    );
  return null;
}
