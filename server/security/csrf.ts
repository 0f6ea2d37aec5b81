import fp from 'fastify-plugin';
import csrfProtection from '@fastify/csrf-protection';
import type { FastifyRequest } from 'fastify';
import type { Config } from '../config.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * false: the route is authorized by a signed token in its own URL instead (the one-click
     * unsubscribe a mail program posts, RFC 8058, which carries no cookie and no form token).
     */
    csrf?: false;
  }
}

const exempt = (request: FastifyRequest) => request.routeOptions.config.csrf === false;

export class ForbiddenOriginError extends Error {
  statusCode = 403;
  constructor() {
    super('This form was sent from another site. Please go back, reload the page and try again.');
  }
}

/**
 * Two locks on every state-changing request: the browser's Origin must be this site, and the
 * body (or a header) must carry the `_csrf` token minted for this browser's signed secret cookie.
 */
export const csrfPlugin = fp<{ config: Readonly<Config> }>(
  async (app, { config }) => {
    await app.register(csrfProtection, {
      cookieKey: '_csrf_secret',
      cookieOpts: {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: config.env === 'production',
        signed: true,
      },
    });

    app.addHook('onRequest', async (request) => {
      if (SAFE_METHODS.has(request.method) || exempt(request)) return;
      if (!originMatches(request)) throw new ForbiddenOriginError();
    });

    // preHandler: the body is parsed by then, so the token may come from the form field.
    app.addHook('preHandler', (request, reply, done) => {
      if (SAFE_METHODS.has(request.method) || exempt(request)) return done();
      app.csrfProtection(request, reply, done);
    });
  },
  { name: 'csrf' },
);

/** Browsers send Origin with every cross-site POST; a request without one is not a browser form. */
function originMatches(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === new URL(`${request.protocol}://${request.host}`).host;
  } catch {
    return false;
  }
}
