/** An error whose status and message are meant for the visitor (statuses below 500). */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const notFound = (message = 'There is nothing at this address.') =>
  new HttpError(404, message);

/** A numeric id from a URL; anything else is a 404, as for an id that does not exist. */
export function parseId(value: unknown): number {
  if (typeof value !== 'string' || !/^[1-9]\d{0,9}$/.test(value) || Number(value) > 2_147_483_647) {
    throw notFound();
  }
  return Number(value);
}
