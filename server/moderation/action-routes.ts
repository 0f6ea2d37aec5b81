import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { inTransaction } from '../db/transaction.js';
import { POST_KINDS } from '../posts/vocabulary.js';
import { checkedBody } from '../plugins/validation.js';
import { IdParams } from '../schemas.js';
import { memberOf, requireActiveRole } from '../security/guards.js';
import { safeNextPath } from '../security/redirects.js';
import { mergeVendors } from '../vendors/merge.js';
import { ACTIONS, moderatePost } from './actions.js';
import { appendLog } from './queries.js';

/**
 * A reason of 3–500 characters once trimmed: `\s` is what String.prototype.trim removes, so
 * spaces around it count for nothing.
 */
const Reason = (errorMessage: string) =>
  Type.String({ pattern: '^\\s*\\S[\\s\\S]{1,498}\\S\\s*$', errorMessage });

const ActionForm = Type.Object({
  action: Type.Union(
    ACTIONS.map((action) => Type.Literal(action)),
    { errorMessage: 'Choose an action.' },
  ),
  reason: Reason(
    'Every moderation action needs a reason of 3–500 characters: go back and write one.',
  ),
  /** For a suspension: a key of SUSPENSIONS, checked by moderatePost. */
  duration: Type.Optional(Type.String()),
  next: Type.Optional(Type.String()),
});

const MergeForm = Type.Object({
  reason: Reason('A vendor merge needs a reason of 3–500 characters.'),
  from: Type.Optional(Type.String()),
  into: Type.Optional(Type.String()),
});

// Moderators' forms are judged after the guard and the CSRF check (attachValidation, checkedBody),
// so a visitor is sent to log in and a forged form is refused whatever it holds.
const activeModeratorsOnly = { preHandler: requireActiveRole('moderator'), attachValidation: true };

/** What moderators do: act on a post (/mod/threads/:id, /mod/replies/:id), merge two vendors. */
export const actionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  for (const kind of POST_KINDS) {
    const base = kind === 'thread' ? '/threads' : '/replies';
    app.post(
      `/mod${base}/:id`,
      { ...activeModeratorsOnly, schema: { params: IdParams, body: ActionForm } },
      async (request, reply) => {
        const { action, reason, duration, next } = checkedBody(request);
        await moderatePost(app.db, app.anonymity, memberOf(request), {
          kind,
          postId: request.params.id,
          action,
          reason: reason.trim(),
          duration,
        });
        return reply.redirect(safeNextPath(next ?? '/mod'), 303);
      },
    );
  }

  app.post(
    '/mod/vendors/merge',
    { ...activeModeratorsOnly, schema: { body: MergeForm } },
    async (request, reply) => {
      const form = checkedBody(request);
      const reason = form.reason.trim();
      const from = (form.from ?? '').trim().toLowerCase();
      const into = (form.into ?? '').trim().toLowerCase();
      await inTransaction(app.db, async (trx) => {
        const merged = await mergeVendors(trx, app.anonymity, { from, into });
        await appendLog(trx, {
          moderator: memberOf(request).username,
          action: 'merge-vendor',
          vendor: `${merged.from.name} (${merged.from.slug}) into ${merged.into.name} (${merged.into.slug})`,
          reason,
        });
      });
      return reply.redirect(`/vendors/${into}`, 303);
    },
  );
};
