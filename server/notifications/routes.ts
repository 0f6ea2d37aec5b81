import type { FastifyInstance } from 'fastify';
import { offsetOf, pageNumber, toPage } from '../pagination.js';
import { requireMember } from '../security/guards.js';
import { listNotices, markAllRead } from './service.js';

const PER_PAGE = 30;

/** /notifications: the member's notices, newest first; seeing them marks them read. */
export async function notificationRoutes(app: FastifyInstance) {
  app.get('/notifications', { preHandler: requireMember }, async (request, reply) => {
    const page = pageNumber(request.query);
    const memberId = request.member!.id;
    const rows = await listNotices(
      app.db,
      app.anonymity,
      memberId,
      offsetOf(page, PER_PAGE),
      PER_PAGE,
    );
    const notices = toPage(rows, page, PER_PAGE);
    await markAllRead(app.db, app.anonymity, memberId);
    return reply.page('notifications/index', { title: 'Notifications', notices, unreadCount: 0 });
  });
}
