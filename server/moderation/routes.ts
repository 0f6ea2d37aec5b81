import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { offsetOf, toPage } from '../pagination.js';
import { authorVendor, authorView, isAuthor } from '../posts/authors.js';
import { REPORT_REASON_LABELS } from '../posts/vocabulary.js';
import { PageQuery } from '../schemas.js';
import { memberOf, requireRole } from '../security/guards.js';
import type { Member } from '../security/member.js';
import { SUSPENSIONS } from '../suspensions/rules.js';
import { actionRoutes } from './action-routes.js';
import { ACTIONS } from './actions.js';
import { listLog, listQueue } from './queries.js';
import { reportRoutes } from './report-routes.js';
import { vendorModerationRoutes } from './vendor-routes.js';

const LogQuery = Type.Object({
  ...PageQuery.properties,
  moderator: Type.Optional(Type.String()),
  action: Type.Optional(Type.String()),
});

const QUEUE_PER_PAGE = 20;
const LOG_PER_PAGE = 50;
const moderatorsOnly = { preHandler: requireRole('moderator') };

/**
 * Moderation: members' reports (report-routes.ts), moderators' actions (action-routes.ts), and
 * here the pages moderators read: the queue of reported posts and the log of what was done.
 */
export const moderationRoutes: FastifyPluginAsyncTypebox<{ config: Readonly<Config> }> = async (
  app,
  { config },
) => {
  await app.register(reportRoutes, { config });
  await app.register(actionRoutes);
  await app.register(vendorModerationRoutes, { config });

  app.get(
    '/mod',
    { ...moderatorsOnly, schema: { querystring: PageQuery } },
    async (request, reply) => {
      const page = request.query.page ?? 1;
      const rows = await listQueue(
        app.db,
        config.reporterMinAgeDays,
        offsetOf(page, QUEUE_PER_PAGE),
        QUEUE_PER_PAGE,
      );
      const queue = toPage(rows, page, QUEUE_PER_PAGE);
      const items = await queueItems(app, queue.items, memberOf(request));
      return reply.page('moderation/queue', {
        title: 'Moderation queue',
        queue: { ...queue, items },
        reasonLabels: REPORT_REASON_LABELS,
        suspensions: SUSPENSIONS,
      });
    },
  );

  app.get(
    '/mod/log',
    { ...moderatorsOnly, schema: { querystring: LogQuery } },
    async (request, reply) => {
      const moderator = request.query.moderator?.trim() ?? '';
      const action = request.query.action?.trim() ?? '';
      const page = request.query.page ?? 1;
      const rows = await listLog(app.db, {
        moderator,
        action,
        offset: offsetOf(page, LOG_PER_PAGE),
        limit: LOG_PER_PAGE,
      });
      const params = new URLSearchParams();
      if (moderator) params.set('moderator', moderator);
      if (action) params.set('action', action);
      const kept = params.toString();
      return reply.page('moderation/log', {
        title: 'Moderation log',
        entries: toPage(rows, page, LOG_PER_PAGE),
        moderator,
        action,
        actions: [
          ...ACTIONS,
          'auto-hide',
          'merge-vendor',
          'role',
          'grant-representative',
          'withdraw-representative',
          'record-program-change',
          'edit-vendor-profile',
        ],
        pagePrefix: `/mod/log?${kept ? `${kept}&` : ''}`,
      });
    },
  );
};

type QueueRow = Awaited<ReturnType<typeof listQueue>>[number];

/** The queue's reports as the page shows them, their authors as the public sees them. */
async function queueItems(app: FastifyInstance, rows: QueueRow[], moderator: Member) {
  const names = await usernames(
    app,
    rows.flatMap((item) => (!item.anonymous && item.author_id !== null ? [item.author_id] : [])),
  );
  return rows.map(({ author_tag, author_id, pseudonym, ...item }) => ({
    ...item,
    kind: item.reply_id ? 'reply' : 'thread',
    postId: item.reply_id ?? item.thread_id,
    // As the public sees the author: an anonymous one stays "Anonymous provider".
    author: authorView({
      anonymous: item.anonymous,
      author_id,
      pseudonym,
      author_username: author_id ? (names.get(author_id)?.username ?? null) : null,
      author_vendor: author_id ? (names.get(author_id)?.author_vendor ?? null) : null,
    }),
    // Only the moderator who wrote the post is told; they may not act on it.
    own: isAuthor(
      { anonymous: item.anonymous, author_id, author_tag },
      item.thread_id,
      moderator,
      app.anonymity,
    ),
  }));
}

/** Usernames of named authors in the queue, with the vendor each represents, in one query. */
async function usernames(app: FastifyInstance, ids: number[]) {
  if (ids.length === 0) return new Map<number, Names>();
  const rows = await app.db
    .selectFrom('users')
    .select(['id', 'username', authorVendor()])
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((row) => [row.id, row]));
}

type Names = { username: string; author_vendor: { name: string; slug: string } | null };
