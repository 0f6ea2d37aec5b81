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
