import fp from 'fastify-plugin';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isTransientDatabaseFailure } from '../db/errors.js';

const TITLES: Record<number, string> = {
  400: 'That did not work',
  401: 'Please log in',
  403: 'Not allowed',
  404: 'Page not found',
  405: 'Not allowed',
  409: 'Already there',
  413: 'Too much at once',
  415: 'Unsupported request',
  429: 'Slow down',
  500: 'Something went wrong',
  503: 'Temporarily unavailable',
};

/** Messages for errors raised by plugins, whose own wording is meant for developers. */
const FRIENDLY: Record<string, string> = {
  FST_CSRF_MISSING_SECRET:
    'Your form has expired or was sent from elsewhere. Go back, reload the page and try again.',
  FST_CSRF_INVALID_TOKEN:
    'Your form has expired or was sent from elsewhere. Go back, reload the page and try again.',
  FST_ERR_CTP_BODY_TOO_LARGE:
    'That was more than the forum accepts in one request. Shorten it and try again.',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'The forum does not accept this kind of request body.',
  FST_ERR_CTP_INVALID_JSON_BODY: 'The request body is not valid JSON.',
};

const INTERNAL_MESSAGE =
  'Something went wrong on our side. It has been logged; please try again in a moment.';
const DATABASE_MESSAGE =
  'The forum cannot reach its database at the moment. Please try again in a few seconds. ' +
  'If you were posting, go back and send it again: a repeat within a minute is posted once.';
const BUSY_MESSAGE = 'The forum is very busy at the moment. Please try again in a few seconds.';
/** What a 503 tells clients and proxies to wait before trying again. */
const RETRY_AFTER_SECONDS = 5;

/**
 * One error handler and one not-found handler for the whole app. The error's own message is
 * shown only for client errors (below 500); server errors are logged with the request id and
 * answered with a generic page, never a stack trace or SQL.
 */
export const errorsPlugin = fp(
  async (app) => {
    app.setErrorHandler(async (error: FastifyError, request, reply) => {
      let status =
        error.statusCode && error.statusCode >= 400 && error.statusCode < 600
          ? error.statusCode
          : 500;
      // The database away (restart, failover) or a conflict that outlived its retries: a 503.
      const database = status >= 500 && isTransientDatabaseFailure(error);
      if (database) status = 503;
      if (status === 503 && !reply.hasHeader('retry-after'))
        reply.header('retry-after', RETRY_AFTER_SECONDS);
      if (status >= 500) logFailure(request, status, error);
      const message =
        status === 503
          ? database
            ? DATABASE_MESSAGE
            : BUSY_MESSAGE
          : status >= 500
            ? INTERNAL_MESSAGE
            : (FRIENDLY[error.code] ?? error.message);
      return sendError(request, reply, status, message);
    });

    // A 5xx that no error raised (a handler's own 503, say) is logged when it is sent.
    app.addHook('onResponse', async (request, reply) => {
      if (reply.statusCode >= 500 && !loggedFailures.has(request))
        logFailure(request, reply.statusCode);
    });

    app.setNotFoundHandler(async (request, reply) =>
      sendError(
        request,
        reply,
        404,
        'There is nothing at this address. It may have been moved or deleted.',
      ),
    );
  },
  { name: 'errors', dependencies: ['views'] },
);

/** Requests whose failure is logged already: each is logged once. */
const loggedFailures = new WeakSet<FastifyRequest>();

/**
 * One JSON line per failed request, with the request id (from request.log), the route pattern
 * and the status. Nothing about who asked: no address, cookie, member or form field (the
 * logger's serializers in app.ts keep those out of `req` and `err` too).
 */
function logFailure(request: FastifyRequest, statusCode: number, error?: unknown) {
  if (loggedFailures.has(request)) return;
  loggedFailures.add(request);
  const route = request.routeOptions.url ?? null;
  const fields = { route, method: request.method, statusCode };
  if (error === undefined) return request.log.error(fields, 'request answered with a server error');
  // Shedding is the forum working as meant under overload: one line each, but not an error,
  // or the logs would grow fastest exactly when the process has least to spare.
  const shed = (error as { code?: unknown }).code === 'FST_UNDER_PRESSURE';
  request.log[shed ? 'warn' : 'error'](
    { ...fields, err: error },
    shed ? 'request shed' : 'request failed',
  );
}

export async function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  message: string,
) {
  const title = TITLES[status] ?? (status >= 500 ? TITLES[500]! : TITLES[400]!);
  if (wantsJson(request))
    return reply.code(status).send({ statusCode: status, error: title, message });
  try {
    return await reply.page('errors/error', { title, status, message }, status);
  } catch (renderError) {
    // After a 5xx, whose failure is logged already, this is a consequence: a warning.
    request.log[status >= 500 ? 'warn' : 'error'](
      { err: renderError },
      'error page failed to render',
    );
    return reply.code(status).type('text/plain; charset=utf-8').send(`${title}\n\n${message}\n`);
  }
}

function wantsJson(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}
