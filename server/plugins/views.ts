import fp from 'fastify-plugin';
import fastifyView from '@fastify/view';
import { Eta } from 'eta';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config.js';
import { fmt } from '../format.js';
import { countUnread } from '../notifications/service.js';
import { describeSuspension } from '../security/guards.js';

export const viewsDir = fileURLToPath(new URL('../../views', import.meta.url));
export const SITE_NAME = 'Partner Stories';

declare module 'fastify' {
  interface FastifyReply {
    /**
     * Renders a page in the layout with what every page needs (the member, a CSRF token for the
     * logout button and the page's forms, the member's own suspension, `canWrite` for the
     * controls a suspended member may not use) and the given status.
     */
    page(view: string, data?: Record<string, unknown>, status?: number): Promise<string>;
  }
}

export const viewsPlugin = fp<{ config: Readonly<Config> }>(
  async (app, { config }) => {
    const eta = new Eta({ views: viewsDir, autoEscape: true, cache: config.env === 'production' });
    await app.register(fastifyView, {
      engine: { eta },
      root: viewsDir,
      production: config.env === 'production',
      defaultContext: { siteName: SITE_NAME, fmt },
    });

    app.decorateReply('page', async function (view: string, data = {}, status = 200) {
      const member = this.request.member;
      // Visitors get a CSRF cookie only on pages with a form (login, register), not on every read.
      const csrfToken = member || data.needsCsrf ? this.generateCsrf() : undefined;
      const [unreadCount, suspendedUntil] = member
        ? await Promise.all([
            countUnread(app.db, app.anonymity, member.id),
            this.request.suspendedUntil(),
          ])
        : [0, null];
      this.code(status).type('text/html; charset=utf-8');
      return this.viewAsync(view, {
        member,
        csrfToken,
        unreadCount,
        // Only ever the viewer's own suspension: no page shows anyone else's.
        suspension: suspendedUntil && describeSuspension(suspendedUntil),
        canWrite: member !== null && suspendedUntil === null,
        currentPath: this.request.url,
        ...data,
      });
    });
  },
  { name: 'views' },
);
