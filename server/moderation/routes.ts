import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../config.js';
import { REPORT_REASON_KEYS, REPORT_REASON_LABELS } from '../posts/vocabulary.js';
import { inTransaction } from '../db/transaction.js';
import { checkForm, stringFields } from '../forms.js';
import { HttpError, parseId } from '../http-errors.js';
import { offsetOf, pageNumber, toPage } from '../pagination.js';
import { requireActiveMember, requireActiveRole, requireRole } from '../security/guards.js';
import { safeNextPath } from '../security/redirects.js';
import { authorView, isAuthor } from '../posts/authors.js';
import { writeLimit } from '../security/rate-limits.js';
import { findPost } from '../posts/lookup.js';
import type { PostKind } from '../posts/vocabulary.js';
import { SUSPENSIONS } from '../suspensions/rules.js';
import { mergeVendors } from '../vendors/merge.js';
import { ACTIONS, moderatePost, type Action } from './actions.js';
import { appendLog, listLog, listQueue } from './queries.js';
import { fileReport } from './reports.js';

const ReportForm = Type.Object({
  reason: Type.Union(
    REPORT_REASON_KEYS.map((reason) => Type.Literal(reason)),
    { errorMessage: 'Choose why you report this post.' },
  ),
  note: Type.Optional(
    Type.String({ maxLength: 1000, errorMessage: 'Keep the note to 1,000 characters.' }),
  ),
});

const QUEUE_PER_PAGE = 20;
const LOG_PER_PAGE = 50;
const moderatorsOnly = { preHandler: requireRole('moderator') };
const activeModeratorsOnly = { preHandler: requireActiveRole('moderator') };

export async function moderationRoutes(
  app: FastifyInstance,
  { config }: { config: Readonly<Config> },
) {
  for (const kind of ['thread', 'reply'] as const) {
    const base = kind === 'thread' ? '/threads' : '/replies';

    app.get<{ Params: { id: string } }>(
      `${base}/:id/report`,
      { preHandler: requireActiveMember },
      async (request, reply) => {
        const post = await findPost(app.db, kind, parseId(request.params.id));
        return renderReportForm(reply, kind, post.id, {}, {});
      },
    );

    app.post<{ Params: { id: string } }>(
      `${base}/:id/report`,
      { preHandler: requireActiveMember, config: writeLimit(config) },
      async (request, reply) => {
        const postId = parseId(request.params.id);
        const form = checkForm(ReportForm, request.body);
        if (!form.ok) return renderReportForm(reply, kind, postId, form.values, form.errors, 400);
        const note = form.values.note?.trim() || null;
        const filed = await fileReport(
          app.db,
          app.anonymity,
          request.member!,
          { kind, postId, reason: form.values.reason, note },
          config,
        );
        if (!filed) {
          return renderReportForm(
            reply,
            kind,
            postId,
            form.values,
            { form: 'You reported this post already. Moderators will review it.' },
            409,
          );
        }
        return reply.page('moderation/reported', {
          title: 'Thanks for your report',
          back: `${base}/${postId}`,
        });
      },
    );

    app.post<{ Params: { id: string } }>(
      `/mod${base}/:id`,
      activeModeratorsOnly,
      async (request, reply) => {
        const fields = stringFields(request.body);
        const action = fields.action as Action;
        const reason = (fields.reason ?? '').trim();
        if (!ACTIONS.includes(action)) throw new HttpError(400, 'Choose an action.');
        if (reason.length < 3 || reason.length > 500) {
          throw new HttpError(
            400,
            'Every moderation action needs a reason of 3–500 characters: go back and write one.',
          );
        }
        await moderatePost(app.db, app.anonymity, request.member!, {
          kind,
          postId: parseId(request.params.id),
          action,
          reason,
          duration: fields.duration,
        });
        return reply.redirect(safeNextPath(fields.next ?? '/mod'), 303);
      },
    );
  }

  app.get('/mod', moderatorsOnly, async (request, reply) => {
    const page = pageNumber(request.query);
    const rows = await listQueue(
      app.db,
      config.reporterMinAgeDays,
      offsetOf(page, QUEUE_PER_PAGE),
      QUEUE_PER_PAGE,
    );
    const queue = toPage(rows, page, QUEUE_PER_PAGE);
    const named = queue.items.filter((item) => !item.anonymous && item.author_id !== null);
    const names = await usernames(
      app,
      named.map((item) => item.author_id!),
    );
    const items = queue.items.map(({ author_tag, author_id, pseudonym, ...item }) => ({
      ...item,
      kind: item.reply_id ? 'reply' : 'thread',
      postId: item.reply_id ?? item.thread_id,
      // As the public sees the author: an anonymous one stays "Anonymous provider".
      author: authorView({
        anonymous: item.anonymous,
        author_id,
        pseudonym,
        author_username: author_id ? (names.get(author_id) ?? null) : null,
      }),
      // Only the moderator who wrote the post is told; they may not act on it.
      own: isAuthor(
        { anonymous: item.anonymous, author_id, author_tag },
        item.thread_id,
        request.member,
        app.anonymity,
      ),
    }));
    return reply.page('moderation/queue', {
      title: 'Moderation queue',
      queue: { ...queue, items },
      reasonLabels: REPORT_REASON_LABELS,
      suspensions: SUSPENSIONS,
    });
  });

  app.post('/mod/vendors/merge', activeModeratorsOnly, async (request, reply) => {
    const fields = stringFields(request.body);
    const reason = (fields.reason ?? '').trim();
    if (reason.length < 3 || reason.length > 500)
      throw new HttpError(400, 'A vendor merge needs a reason of 3–500 characters.');
    const from = (fields.from ?? '').trim().toLowerCase();
    const into = (fields.into ?? '').trim().toLowerCase();
    await inTransaction(app.db, async (trx) => {
      const merged = await mergeVendors(trx, app.anonymity, { from, into });
      await appendLog(trx, {
        moderator: request.member!.username,
        action: 'merge-vendor',
        vendor: `${merged.from.name} (${merged.from.slug}) into ${merged.into.name} (${merged.into.slug})`,
        reason,
      });
    });
    return reply.redirect(`/vendors/${into}`, 303);
  });

  app.get('/mod/log', moderatorsOnly, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const moderator = typeof query.moderator === 'string' ? query.moderator.trim() : '';
    const action = typeof query.action === 'string' ? query.action.trim() : '';
    const page = pageNumber(request.query);
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
      actions: [...ACTIONS, 'auto-hide', 'merge-vendor', 'role'],
      pagePrefix: `/mod/log?${kept ? `${kept}&` : ''}`,
    });
  });

  function renderReportForm(
    reply: FastifyReply,
    kind: PostKind,
    postId: number,
    values: Record<string, string>,
    errors: Record<string, string>,
    status = 200,
  ) {
    const action = `${kind === 'thread' ? '/threads' : '/replies'}/${postId}/report`;
    return reply.page(
      'moderation/report',
      {
        title: 'Report a post',
        action,
        kind,
        values,
        errors,
        reasons: REPORT_REASON_KEYS,
        reasonLabels: REPORT_REASON_LABELS,
      },
      status,
    );
  }
}

/** Usernames of named authors in the queue, in one query. */
async function usernames(app: FastifyInstance, ids: number[]) {
  if (ids.length === 0) return new Map<number, string>();
  const rows = await app.db
    .selectFrom('users')
    .select(['id', 'username'])
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((row) => [row.id, row.username]));
}
