import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { findSuspension } from '../moderation/service.js';
import { offsetOf, pageNumber, toPage } from '../pagination.js';
import { describeSuspension, requireMember } from '../security/guards.js';
import { listNotices, markAllRead } from './service.js';

const PER_PAGE = 30;

/**
 * /notifications: the member's notices, newest first. Reading them changes nothing; marking
 * them read is a form post with a CSRF token, so a link from another site cannot clear them.
 */
export async function notificationRoutes(
  app: FastifyInstance,
  { config }: { config: Readonly<Config> },
) {
  app.get('/notifications', { preHandler: requireMember }, async (request, reply) => {
    const page = pageNumber(request.query);
    const memberId = request.member!.id;
    const [rows, suspension] = await Promise.all([
      listNotices(app.db, app.anonymity, memberId, offsetOf(page, PER_PAGE), PER_PAGE),
      findSuspension(app.db, app.anonymity, memberId),
    ]);
    return reply.page('notifications/index', {
      title: 'Notifications',
      notices: toPage(rows, page, PER_PAGE),
      suspensionNotice: suspension && {
        end: describeSuspension(suspension.until),
        reason: suspension.reason,
      },
    });
  });

  app.post(
    '/notifications/read',
    {
      preHandler: requireMember,
      config: { rateLimit: { max: config.rateLimits.writes, timeWindow: 60_000 } },
    },
    async (request, reply) => {
      await markAllRead(app.db, app.anonymity, request.member!.id);
      return reply.redirect('/notifications', 303);
    },
  );
}
