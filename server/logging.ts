/** Fields of an error that name what failed, never the data it failed on. */
const KEPT = [
  'code',
  'statusCode',
  'severity',
  'schema',
  'table',
  'column',
  'dataType',
  'constraint',
  'routine',
] as const;

interface SerializedError {
  type: string;
  message: string;
  stack: string;
  [field: string]: unknown;
}

/**
 * The logger's serializer for `err`. PostgreSQL's `detail` (for a unique violation, "Key
 * (vendor_id, voice_key)=(3, …) already exists": a value that may link anonymous posts), `where`,
 * `hint` and internal queries stay out of the logs; so do query parameters, which some libraries
 * attach to errors. The message, the type, the stack and the fields above remain.
 */
export function serializeError(error: unknown, depth = 0): SerializedError {
  if (!(error instanceof Error)) return { type: typeof error, message: String(error), stack: '' };
  const fields: SerializedError = {
    type: error.constructor.name,
    message: error.message,
    stack: error.stack ?? '',
  };
  for (const key of KEPT) {
    const value = (error as unknown as Record<string, unknown>)[key];
    if (value !== undefined && value !== null) fields[key] = value;
  }
  if (depth < 3 && error.cause !== undefined) fields.cause = serializeError(error.cause, depth + 1);
  if (depth < 3 && error instanceof AggregateError)
    fields.errors = error.errors.slice(0, 5).map((inner) => serializeError(inner, depth + 1));
  return fields;
}

// Links mailed to members carry a token in their path (server/email/): a log line with one
// would let whoever reads the logs reset a password or confirm an address.
const TOKEN_IN_PATH = /^(\/(?:password\/reset|email\/confirm|email\/unsubscribe)\/)[^/?#]+/;

/** A request's URL for the logs, with a mailed link's token replaced. */
export function loggedUrl(url: string): string {
  return url.replace(TOKEN_IN_PATH, '$1[token]');
}
