/**
 * What a database failure means for the request that met it. A lost or refused connection, or a
 * conflict that outlived its retries, is the database being away or busy for a moment: the
 * error handler answers 503 with Retry-After, never 500.
 */

/** Thrown when no connection could be had: the server refused, timed out or is not accepting. */
export class DatabaseUnavailableError extends Error {
  readonly statusCode = 503;
  constructor(cause: unknown) {
    super(`The database is not available: ${(cause as Error)?.message ?? cause}`, { cause });
    this.name = 'DatabaseUnavailableError';
  }
}

// SQLSTATE classes and codes: 08 connection exception; 57P01 admin shutdown (a restart or
// pg_terminate_backend), 57P02 crash shutdown, 57P03 cannot connect now (starting up, in
// recovery); 53300 too many connections; 25P03 idle-in-transaction timeout ended the session.
const UNAVAILABLE_CODES = new Set(['57P01', '57P02', '57P03', '53300', '25P03']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND']);
// pg and pg-pool say these without a code.
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'is not queryable',
  'timeout exceeded when trying to connect',
  'Client was closed and is not queryable',
];

/** Serialization failure (40001) and deadlock (40P01): the same work, tried again, may succeed. */
const RETRYABLE_CODES = new Set(['40001', '40P01']);

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The error and its causes, innermost last (Kysely and our own wrappers keep the original). */
function* chain(error: unknown): Generator<unknown> {
  for (let depth = 0; error && depth < 5; depth++) {
    yield error;
    error = (error as { cause?: unknown }).cause;
  }
}

/** Whether the failure means the database could not be reached or dropped the connection. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (const link of chain(error)) {
    if (link instanceof DatabaseUnavailableError) return true;
    const code = codeOf(link);
    if (code && (UNAVAILABLE_CODES.has(code) || NETWORK_CODES.has(code) || code.startsWith('08')))
      return true;
    const message = (link as { message?: unknown }).message;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((m) => message.includes(m)))
      return true;
  }
  return false;
}

/** Whether the failure is a serialization failure or a deadlock, worth another try. */
export function isRetryableConflict(error: unknown): boolean {
  for (const link of chain(error)) {
    const code = codeOf(link);
    if (code && RETRYABLE_CODES.has(code)) return true;
  }
  return false;
}

/**
 * Whether the request should be answered 503 (try again shortly) rather than 500: the database
 * is away, a conflict outlived its retries, or a statement ran out of time under load (57014).
 */
export function isTransientDatabaseFailure(error: unknown): boolean {
  return (
    isDatabaseUnavailable(error) ||
    isRetryableConflict(error) ||
    [...chain(error)].some((link) => codeOf(link) === '57014')
  );
}
