import fp from 'fastify-plugin';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

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

/**
 * One error handler and one not-found handler for the whole app. The error's own message is
 * shown only for client errors (below 500); server errors are logged with the request id and
 * answered with a generic page, never a stack trace or SQL.
 */
export const errorsPlugin = fp(
  async (app) => {
    app.setErrorHandler(async (error: FastifyError, request, reply) => {
      const status =
        error.statusCode && error.statusCode >= 400 && error.statusCode < 600
          ? error.statusCode
          : 500;
      if (status >= 500) request.log.error({ err: error }, 'request failed');
      const message = status >= 500 ? INTERNAL_MESSAGE : (FRIENDLY[error.code] ?? error.message);
      return sendError(request, reply, status, message);
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
    request.log.error({ err: renderError }, 'error page failed to render');
    return reply.code(status).type('text/plain; charset=utf-8').send(`${title}\n\n${message}\n`);
  }
}

function wantsJson(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}
