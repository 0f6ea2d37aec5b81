import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import type { Config } from '../config.js';
import { formResult } from '../plugins/validation.js';
import { findPost } from '../posts/lookup.js';
import {
  POST_KINDS,
  REPORT_REASON_KEYS,
  REPORT_REASON_LABELS,
  type PostKind,
} from '../posts/vocabulary.js';
import { IdParams } from '../schemas.js';
import { memberOf, requireActiveMember } from '../security/guards.js';
import { writeLimit } from '../security/rate-limits.js';
import { hasReported } from './queries.js';
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

const ALREADY = 'You reported this post already. Moderators will review it.';

const basePath = (kind: PostKind) => (kind === 'thread' ? '/threads' : '/replies');

/** /threads/:id/report and /replies/:id/report: a member tells the moderators about a post. */
export const reportRoutes: FastifyPluginAsyncTypebox<{ config: Readonly<Config> }> = async (
  app,
  { config },
) => {
  for (const kind of POST_KINDS) {
    const base = basePath(kind);

    app.get(
      `${base}/:id/report`,
      { preHandler: requireActiveMember, schema: { params: IdParams } },
      async (request, reply) => {
        const post = await findPost(app.db, kind, request.params.id);
        // Said before the form is filled in, not after it is sent.
        if (await hasReported(app.db, kind, post.id, memberOf(request).id)) {
          return reply.page('moderation/report', {
            title: 'Report a post',
            kind,
            already: ALREADY,
            back: `${base}/${post.id}`,
          });
        }
        return renderReportForm(reply, kind, post.id, {}, {});
      },
    );

    app.post(
      `${base}/:id/report`,
      {
        preHandler: requireActiveMember,
        config: writeLimit(config),
        // A bad form is shown again, after the guard and the CSRF check.
        attachValidation: true,
        schema: { params: IdParams, body: ReportForm },
      },
      async (request, reply) => {
        const form = formResult<typeof ReportForm>(request);
        const postId = request.params.id;
        if (!form.ok) return renderReportForm(reply, kind, postId, form.values, form.errors, 400);
        const note = form.values.note?.trim() || null;
        const filed = await fileReport(
          app.db,
          app.anonymity,
          memberOf(request),
          { kind, postId, reason: form.values.reason, note },
          config,
        );
        if (!filed) {
          const errors = { form: ALREADY };
          return renderReportForm(reply, kind, postId, form.values, errors, 409);
        }
        return reply.page('moderation/reported', {
          title: 'Thanks for your report',
          back: `${base}/${postId}`,
        });
      },
    );
  }
};

function renderReportForm(
  reply: FastifyReply,
  kind: PostKind,
  postId: number,
  values: Record<string, string>,
  errors: Record<string, string>,
  status = 200,
) {
  return reply.page(
    'moderation/report',
    {
      title: 'Report a post',
      action: `${basePath(kind)}/${postId}/report`,
      kind,
      values,
      errors,
      reasons: REPORT_REASON_KEYS,
      reasonLabels: REPORT_REASON_LABELS,
    },
    status,
  );
}
