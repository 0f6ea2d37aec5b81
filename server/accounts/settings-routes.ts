import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import type { FieldErrors } from '../forms.js';
import { formResult } from '../plugins/validation.js';
import { memberOf, requireActiveMember, requireMember } from '../security/guards.js';
import { writeLimit } from '../security/rate-limits.js';
import { listOwnAnonymousPosts } from './anonymous-posts.js';
import { deleteMember } from './deletion.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { findUserByUsername, getAccount, updatePassword, updateProfile } from './queries.js';
import { DeleteAccountForm, PASSWORD_RULE, PasswordForm, ProfileForm } from './schemas.js';
import { deleteMemberSessions } from './sessions.js';

const SAVED: Record<string, string> = {
  profile: 'Your profile is saved.',
  password: 'Your password is changed. Every other session of yours has been logged out.',
};

/** `?saved=`: which form was just saved; anything else shows no message. */
const SavedQuery = Type.Object({ saved: Type.Optional(Type.String()) });

interface FormState {
  form: 'profile' | 'password' | 'delete';
  values: Record<string, string>;
  errors: FieldErrors;
}

/** /account: what a member sees of their own account, and the forms that change it. */
export const accountSettingsRoutes: FastifyPluginAsyncTypebox<{
  config: Readonly<Config>;
}> = async (app, { config }) => {
  // A failed form is shown again, after the guard and the CSRF check (attachValidation).
  const writes = { preHandler: requireMember, config: writeLimit(config), attachValidation: true };
  // A suspended member keeps their password and their account, but not a public voice.
  const activeWrites = { ...writes, preHandler: requireActiveMember };

  app.get(
    '/account',
    { preHandler: requireMember, schema: { querystring: SavedQuery } },
    async (request, reply) => {
      const { saved } = request.query;
      const message = saved && Object.hasOwn(SAVED, saved) ? SAVED[saved] : undefined;
      return renderAccount(app, request, reply, null, 200, message);
    },
  );

  app.post(
    '/account/profile',
    { ...activeWrites, schema: { body: ProfileForm } },
    async (request, reply) => {
      const form = formResult<typeof ProfileForm>(request);
      if (!form.ok) {
        const values = { company: '', bio: '', ...form.values };
        return renderAccount(
          app,
          request,
          reply,
          { form: 'profile', values, errors: form.errors },
          400,
        );
      }
      await updateProfile(app.db, memberOf(request).id, {
        company: form.values.company?.trim() || null,
        bio: form.values.bio?.trim() || null,
      });
      return reply.redirect('/account?saved=profile', 303);
    },
  );

  app.post(
    '/account/password',
    { ...writes, schema: { body: PasswordForm } },
    async (request, reply) => {
      const form = formResult<typeof PasswordForm>(request);
      const failed = (errors: FieldErrors) =>
        renderAccount(app, request, reply, { form: 'password', values: {}, errors }, 400);
      if (!form.ok) return failed(form.errors);
      const user = await findUserByUsername(app.db, memberOf(request).username);
      if (!user || !(await verifyPassword(user.password_hash, form.values.current_password))) {
        return failed({ current_password: 'That is not your current password.' });
      }
      await updatePassword(app.db, user.id, await hashPassword(form.values.new_password));
      // Every other session ends; this one is replaced, so a token taken before the change is
      // dead.
      await deleteMemberSessions(app.db, user.id, request.sessionId ?? undefined);
      await reply.startSession(user.id);
      return reply.redirect('/account?saved=password', 303);
    },
  );

  app.post(
    '/account/delete',
    { ...writes, schema: { body: DeleteAccountForm } },
    async (request, reply) => {
      const form = formResult<typeof DeleteAccountForm>(request);
      const values = { confirm_username: form.values.confirm_username ?? '' };
      const failed = (errors: FieldErrors) =>
        renderAccount(app, request, reply, { form: 'delete', values, errors }, 400);
      if (!form.ok) return failed(form.errors);
      const member = memberOf(request);
      if (form.values.confirm_username.trim().toLowerCase() !== member.username.toLowerCase()) {
        return failed({ confirm_username: `Type your username, ${member.username}, to confirm.` });
      }
      const user = await findUserByUsername(app.db, member.username);
      if (!user || !(await verifyPassword(user.password_hash, form.values.password))) {
        return failed({ password: 'That is not your password.' });
      }
      await deleteMember(app.db, app.anonymity, member.id);
      await reply.endSession();
      return reply.page('accounts/deleted', { title: 'Your account is deleted' });
    },
  );
};

/** The account page, with a failed form's input and messages, or a saved form's message. */
async function renderAccount(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  state: FormState | null,
  status = 200,
  saved?: string,
) {
  const memberId = memberOf(request).id;
  const [account, anonymousPosts] = await Promise.all([
    getAccount(app.db, memberId),
    listOwnAnonymousPosts(app.db, app.anonymity, memberId),
  ]);
  const profile =
    state?.form === 'profile'
      ? state.values
      : { company: account.company ?? '', bio: account.bio ?? '' };
  return reply.page(
    'accounts/account',
    {
      title: 'Your account',
      account,
      anonymousPosts,
      saved,
      profile,
      passwordRule: PASSWORD_RULE,
      errors: {
        profile: {},
        password: {},
        delete: {},
        ...(state ? { [state.form]: state.errors } : {}),
      },
      deleteValues: state?.form === 'delete' ? state.values : {},
    },
    status,
  );
}
