import fp from 'fastify-plugin';
import fastifyView from '@fastify/view';
import { Eta } from 'eta';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config.js';
import { fmt } from '../format.js';
import { countUnread } from '../notifications/service.js';

export const viewsDir = fileURLToPath(new URL('../../views', import.meta.url));
export const SITE_NAME = 'Partner Stories';

declare module 'fastify' {
  interface FastifyReply {
    /**
     * Renders a page in the layout with what every page needs (the member, a CSRF token for the
     * logout button and the page's forms) and the given status.
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
      const unreadCount = member ? await countUnread(app.db, app.anonymity, member.id) : 0;
      this.code(status).type('text/html; charset=utf-8');
      return this.viewAsync(view, {
        member,
        csrfToken,
        unreadCount,
        currentPath: this.request.url,
        ...data,
      });
    });
  },
  { name: 'views' },
);
