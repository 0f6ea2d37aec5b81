import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Config } from '../config.js';
import { offsetOf, toPage } from '../pagination.js';
import { PageQuery } from '../schemas.js';
import { memberOf, requireMember } from '../security/guards.js';
import { sourcesColumns, sourcesFrom } from './derived.js';
import { countUnread, listNotices, markAllRead } from './service.js';

const PER_PAGE = 30;

/** What the notifications page showed, sent back to mark exactly that read. */
const ReadForm = Type.Object({
  replies_up_to: Type.Optional(Type.String({ pattern: '^[0-9]{0,10}$' })),
  vendor_stories_up_to: Type.Optional(Type.String({ pattern: '^[0-9]{0,10}$' })),
  notices_up_to: Type.Optional(Type.String({ maxLength: 100 })),
  decisions: Type.Optional(Type.String({ maxLength: 20_000 })),
});

/**
 * /notifications: the member's notices, newest first. Reading them changes nothing; marking
 * them read is a form post with a CSRF token, so a link from another site cannot clear them.
 */
export const notificationRoutes: FastifyPluginAsyncTypebox<{ config: Readonly<Config> }> = async (
  app,
  { config },
) => {
  // The header's unread count, on every page a member sees: what it derives from is read with
  // the member's other columns, in the one statement every member page runs for them.
  app.addMemberColumns((member) => sourcesColumns(app.anonymity, member.id));
  app.addPageLocals(async (request) => {
    const memberId = memberOf(request).id;
    const sources = sourcesFrom(app.anonymity, memberId, await request.memberColumns());
    return { unreadCount: await countUnread(app.db, sources) };
  });

  app.get(
    '/notifications',
    { preHandler: requireMember, schema: { querystring: PageQuery } },
    async (request, reply) => {
      const page = request.query.page ?? 1;
      const [{ items, shown }, suspension] = await Promise.all([
        listNotices(
          app.db,
          app.anonymity,
          memberOf(request).id,
          offsetOf(page, PER_PAGE),
          PER_PAGE,
        ),
        request.suspension(),
      ]);
      return reply.page('notifications/index', {
        title: 'Notifications',
        notices: toPage(items, page, PER_PAGE),
        shown: { ...shown, decisions: shown.decisions.join(' ') },
        suspensionNotice: suspension && { end: suspension.description, reason: suspension.reason },
      });
    },
  );

  app.post(
    '/notifications/read',
    {
      preHandler: requireMember,
      schema: { body: ReadForm },
      config: { rateLimit: { max: config.rateLimits.writes, timeWindow: 60_000 } },
    },
    async (request, reply) => {
      const form = request.body;
      await markAllRead(app.db, app.anonymity, memberOf(request).id, {
        repliesUpTo: Number(form.replies_up_to || 0),
        vendorStoriesUpTo: Number(form.vendor_stories_up_to || 0),
        noticesUpTo: form.notices_up_to ?? '',
        decisions: (form.decisions ?? '').split(' ').filter(Boolean),
      });
      return reply.redirect('/notifications', 303);
    },
  );
};
