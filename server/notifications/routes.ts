import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { stringFields } from '../forms.js';
import { offsetOf, pageNumber, toPage } from '../pagination.js';
import { requireMember } from '../security/guards.js';
import { countUnread, listNotices, markAllRead } from './service.js';

const PER_PAGE = 30;

/**
 * /notifications: the member's notices, newest first. Reading them changes nothing; marking
 * them read is a form post with a CSRF token, so a link from another site cannot clear them.
 */
export async function notificationRoutes(
  app: FastifyInstance,
  { config }: { config: Readonly<Config> },
) {
  // The header's unread count, on every page a member sees.
  app.addPageLocals(async (request) => ({
    unreadCount: await countUnread(app.db, app.anonymity, request.member!.id),
  }));
  app.get('/notifications', { preHandler: requireMember }, async (request, reply) => {
    const page = pageNumber(request.query);
    const memberId = request.member!.id;
    const [{ items, shown }, suspension] = await Promise.all([
      listNotices(app.db, app.anonymity, memberId, offsetOf(page, PER_PAGE), PER_PAGE),
      request.suspension(),
    ]);
    return reply.page('notifications/index', {
      title: 'Notifications',
      notices: toPage(items, page, PER_PAGE),
      shown: { ...shown, decisions: shown.decisions.join(' ') },
      suspensionNotice: suspension && { end: suspension.description, reason: suspension.reason },
    });
  });

  app.post(
    '/notifications/read',
    {
      preHandler: requireMember,
      config: { rateLimit: { max: config.rateLimits.writes, timeWindow: 60_000 } },
    },
    async (request, reply) => {
      const fields = stringFields(request.body);
      await markAllRead(app.db, app.anonymity, request.member!.id, {
        repliesUpTo: Number.parseInt(fields.replies_up_to ?? '', 10) || 0,
        noticesUpTo: fields.notices_up_to ?? '',
        decisions: (fields.decisions ?? '').split(' ').filter(Boolean),
      });
      return reply.redirect('/notifications', 303);
    },
  );
}
