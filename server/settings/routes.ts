import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import type { FieldErrors } from '../forms.js';
import { inTransaction } from '../db/transaction.js';
import { formResult } from '../plugins/validation.js';
import { memberOf, requireActiveMember, requireMember } from '../security/guards.js';
import { writeLimit } from '../security/rate-limits.js';
import { listOwnAnonymousPosts } from '../accounts/anonymous-posts.js';
import { deleteMember } from '../accounts/deletion.js';
import { hashPassword, verifyPassword } from '../accounts/passwords.js';
import {
  findUserByUsername,
  getAccount,
  updatePassword,
  updateProfile,
} from '../accounts/queries.js';
import {
  DeleteAccountForm,
  PASSWORD_RULE,
  PasswordForm,
  ProfileForm,
} from '../accounts/schemas.js';
import { deleteMemberSessions } from '../accounts/sessions.js';
import { isAddress, FREQUENCIES, getEmailSettings, setFrequency } from '../email/addresses.js';
import { changeAddress, forgetAddress, passwordChangedByMember } from '../email/service.js';
import { recentTokenCount } from '../email/tokens.js';
import { listFollowed } from '../follows/queries.js';
import { ADDRESS_MESSAGE, EmailForm, FrequencyForm } from './schemas.js';

const SAVED: Record<string, string> = {
  profile: 'Your profile is saved.',
  password: 'Your password is changed. Every other session of yours has been logged out.',
  email:
    'We sent a confirmation link to your new address. It works once, for 24 hours; nothing else is sent to the address until you use it.',
  'email-unchanged': 'That address is already confirmed on your account.',
  'email-removed': 'Your address is removed. Nothing more will be sent to it.',
  frequency: 'Your choice of mail is saved.',
};

const HOUR = 3_600_000;
/** Confirmation links a member may have sent per hour. */
const CONFIRMATIONS_PER_HOUR = 5;

/** `?saved=`: which form was just saved; anything else shows no message. */
const SavedQuery = Type.Object({ saved: Type.Optional(Type.String()) });

interface FormState {
  form: 'profile' | 'password' | 'delete' | 'email' | 'frequency';
  values: Record<string, string>;
  errors: FieldErrors;
}

/**
 * /account: what a member sees of their own account, and the forms that change it: the profile,
 * the password, the email address and what mail it gets, the vendors they follow, deletion.
 */
export const settingsRoutes: FastifyPluginAsyncTypebox<{
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
      const passwordHash = await hashPassword(form.values.new_password);
      // Every other session ends and every reset link dies; this session is replaced, so a
      // token taken before the change is dead.
      await inTransaction(app.db, async (trx) => {
        await updatePassword(trx, user.id, passwordHash);
        await deleteMemberSessions(trx, user.id, request.sessionId ?? undefined);
        await passwordChangedByMember(app, trx, user.id);
      });
      app.mail.kick();
      await reply.startSession(user.id);
      return reply.redirect('/account?saved=password', 303);
    },
  );

  app.post('/account/email', { ...writes, schema: { body: EmailForm } }, async (request, reply) => {
    const form = formResult<typeof EmailForm>(request);
    if (!form.ok) {
      const values = { email: form.values.email ?? '' };
      return renderAccount(
        app,
        request,
        reply,
        { form: 'email', values, errors: form.errors },
        400,
      );
    }
    const memberId = memberOf(request).id;
    const address = form.values.email.trim();
    if (address !== '' && !isAddress(address)) {
      const state = {
        form: 'email' as const,
        values: { email: form.values.email },
        errors: { email: ADDRESS_MESSAGE },
      };
      return renderAccount(app, request, reply, state, 400);
    }
    if (address === '') {
      await forgetAddress(app, memberId);
      return reply.redirect('/account?saved=email-removed#email-heading', 303);
    }
    const current = await getEmailSettings(app.db, app.anonymity, memberId);
    if (current?.confirmed && current.address.toLowerCase() === address.toLowerCase()) {
      return reply.redirect('/account?saved=email-unchanged#email-heading', 303);
    }
    if ((await recentTokenCount(app.db, memberId, 'confirm', HOUR)) >= CONFIRMATIONS_PER_HOUR) {
      // An address is mailed at most this often, so that nobody can flood someone else's.
      const state = {
        form: 'email' as const,
        values: { email: form.values.email },
        errors: {
          email: `We sent ${CONFIRMATIONS_PER_HOUR} confirmation links in the last hour. Use the newest one, or try again in an hour.`,
        },
      };
      return renderAccount(app, request, reply, state, 429);
    }
    await changeAddress(app, memberId, address);
    return reply.redirect('/account?saved=email#email-heading', 303);
  });

  app.post(
    '/account/email/frequency',
    { ...writes, schema: { body: FrequencyForm } },
    async (request, reply) => {
      const form = formResult<typeof FrequencyForm>(request);
      const failed = (errors: FieldErrors) =>
        renderAccount(app, request, reply, { form: 'frequency', values: {}, errors }, 400);
      if (!form.ok) return failed(form.errors);
      if (!(await setFrequency(app.db, memberOf(request).id, form.values.frequency))) {
        return failed({ frequency: 'Add an email address first: mail needs somewhere to go.' });
      }
      return reply.redirect('/account?saved=frequency#email-heading', 303);
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
  const [account, anonymousPosts, email, followed] = await Promise.all([
    getAccount(app.db, memberId),
    listOwnAnonymousPosts(app.db, app.anonymity, memberId),
    getEmailSettings(app.db, app.anonymity, memberId),
    listFollowed(app.db, memberId),
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
      email,
      emailValue: state?.form === 'email' ? state.values.email : (email?.address ?? ''),
      frequencies: FREQUENCIES,
      followed,
      errors: {
        profile: {},
        password: {},
        delete: {},
        email: {},
        frequency: {},
        ...(state ? { [state.form]: state.errors } : {}),
      },
      deleteValues: state?.form === 'delete' ? state.values : {},
    },
    status,
  );
}
