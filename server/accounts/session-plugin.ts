import fp from 'fastify-plugin';
import type { FastifyReply } from 'fastify';
import type { Config } from '../config.js';
import { DAY, createSession, deleteSession, validateSessionToken } from './sessions.js';
import '../security/member.js';

export const SESSION_COOKIE = 'session';

declare module 'fastify' {
  interface FastifyReply {
    startSession(userId: number): Promise<void>;
    endSession(): Promise<void>;
  }
}

/**
 * Reads the session cookie on every request. Visitors without the cookie cost no query, so
 * readers without an account never touch the sessions table. A session ends at the latest
 * `sessionMaxAgeDays` after login, however often it is used.
 */
export const sessionPlugin = fp<{ config: Readonly<Config> }>(
  async (app, { config }) => {
    const cookieOptions = {
      path: '/',
      httpOnly: true,
      sameSite: 'lax' as const,
      secure: config.env === 'production',
    };
    const setCookie = (reply: FastifyReply, token: string, expires: Date) =>
      reply.setCookie(SESSION_COOKIE, token, { ...cookieOptions, expires });

    const maxAge = config.sessionMaxAgeDays * DAY;

    app.decorateRequest('member', null);
    app.decorateRequest('sessionId', null);

    app.addHook('onRequest', async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (!token) return;
      const session = await validateSessionToken(app.db, token, maxAge);
      if (!session) {
        reply.clearCookie(SESSION_COOKIE, cookieOptions);
        return;
      }
      request.member = session.member;
      request.sessionId = session.id;
      if (session.renewed) setCookie(reply, token, session.expiresAt);
    });

    app.decorateReply('startSession', async function (this: FastifyReply, userId: number) {
      if (this.request.sessionId) await deleteSession(app.db, this.request.sessionId);
      const { token, expiresAt } = await createSession(app.db, userId, maxAge);
      setCookie(this, token, expiresAt);
    });

    app.decorateReply('endSession', async function (this: FastifyReply) {
      if (this.request.sessionId) await deleteSession(app.db, this.request.sessionId);
      this.request.member = null;
      this.request.sessionId = null;
      this.clearCookie(SESSION_COOKIE, cookieOptions);
    });
  },
  { name: 'session', dependencies: ['database'] },
);
