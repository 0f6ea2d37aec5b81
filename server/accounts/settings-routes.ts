import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { checkForm, type FieldErrors } from '../forms.js';
import { requireActiveMember, requireMember } from '../security/guards.js';
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

interface FormState {
  form: 'profile' | 'password' | 'delete';
  values: Record<string, string>;
  errors: FieldErrors;
}

/** /account: what a member sees of their own account, and the forms that change it. */
export async function accountSettingsRoutes(
  app: FastifyInstance,
  { config }: { config: Readonly<Config> },
) {
  const writes = { preHandler: requireMember, config: writeLimit(config) };
  // A suspended member keeps their password and their account, but not a public voice.
  const activeWrites = { preHandler: requireActiveMember, config: writeLimit(config) };

  app.get('/account', { preHandler: requireMember }, async (request, reply) => {
    const saved = SAVED[String((request.query as Record<string, unknown>).saved)];
    return renderAccount(request, reply, null, 200, saved);
  });

  app.post('/account/profile', activeWrites, async (request, reply) => {
    const form = checkForm(ProfileForm, { company: '', bio: '', ...(request.body as object) });
    if (!form.ok) return renderAccount(request, reply, { form: 'profile', ...form }, 400);
    await updateProfile(app.db, request.member!.id, {
      company: form.values.company.trim() || null,
      bio: form.values.bio.trim() || null,
    });
    return reply.redirect('/account?saved=profile', 303);
  });

  app.post('/account/password', writes, async (request, reply) => {
    const form = checkForm(PasswordForm, request.body);
    if (!form.ok)
      return renderAccount(
        request,
        reply,
        { form: 'password', values: {}, errors: form.errors },
        400,
      );
    const user = await findUserByUsername(app.db, request.member!.username);
    if (!user || !(await verifyPassword(user.password_hash, form.values.current_password))) {
      const errors = { current_password: 'That is not your current password.' };
      return renderAccount(request, reply, { form: 'password', values: {}, errors }, 400);
    }
    await updatePassword(app.db, user.id, await hashPassword(form.values.new_password));
    // Every other session ends; this one is replaced, so a token taken before the change is dead.
    await deleteMemberSessions(app.db, user.id, request.sessionId!);
    await reply.startSession(user.id);
    return reply.redirect('/account?saved=password', 303);
  });

  app.post('/account/delete', writes, async (request, reply) => {
    const form = checkForm(DeleteAccountForm, request.body);
    const values = { confirm_username: form.values.confirm_username ?? '' };
    if (!form.ok)
      return renderAccount(request, reply, { form: 'delete', values, errors: form.errors }, 400);
    const member = request.member!;
    if (form.values.confirm_username.trim().toLowerCase() !== member.username.toLowerCase()) {
      const errors = { confirm_username: `Type your username, ${member.username}, to confirm.` };
      return renderAccount(request, reply, { form: 'delete', values, errors }, 400);
    }
    const user = await findUserByUsername(app.db, member.username);
    if (!user || !(await verifyPassword(user.password_hash, form.values.password))) {
      return renderAccount(
        request,
        reply,
        { form: 'delete', values, errors: { password: 'That is not your password.' } },
        400,
      );
    }
    await deleteMember(app.db, app.anonymity, member.id);
    await reply.endSession();
    return reply.page('accounts/deleted', { title: 'Your account is deleted' });
  });

  async function renderAccount(
    request: FastifyRequest,
    reply: FastifyReply,
    state: FormState | null,
    status = 200,
    saved?: string,
  ) {
    const memberId = request.member!.id;
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
}
