import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { DB } from '../db/schema.js';
import { stringFields, type FieldErrors } from '../forms.js';
import { formResult } from '../plugins/validation.js';
import { findHiddenCharacter, hiddenCharacterMessage } from '../security/lookalike.js';
import { requireMember } from '../security/guards.js';
import { safeNextPath } from '../security/redirects.js';
import { hashPassword, verifyPassword } from './passwords.js';
import {
  createUser,
  findUserByUsername,
  isUniqueViolation,
  usernameLookalikeTaken,
  usernameTaken,
} from './queries.js';
import { LoginForm, PASSWORD_RULE, RegisterForm, USERNAME_RULE } from './schemas.js';

const TAKEN = 'That username is taken. Choose another one.';
const LOOKALIKE =
  "That username looks too much like an existing member's, so readers could mistake one for the other. Choose another one.";
const WRONG_LOGIN = 'Incorrect username or password.';

/** `?next=`: where to go after logging in; judged by safeNextPath, so any text may come. */
const NextQuery = Type.Object({ next: Type.Optional(Type.String()) });

interface FormPage {
  values?: Record<string, string>;
  errors?: FieldErrors;
  next?: string;
}

// The forms' `next` is read with stringFields, not declared: whatever arrives there is judged
// by safeNextPath, and a stray value must not make the form fail.
export const accountRoutes: FastifyPluginAsyncTypebox<{ config: Readonly<Config> }> = async (
  app,
  { config },
) => {
  const minute = 60_000;
  app.get('/register', { schema: { querystring: NextQuery } }, async (request, reply) => {
    const next = safeNextPath(request.query.next);
    if (request.member) return reply.redirect(next, 303);
    return renderRegister(reply, { next });
  });

  app.post(
    '/register',
    {
      attachValidation: true,
      preValidation: foldUsername,
      schema: { body: RegisterForm },
      config: { rateLimit: { max: config.rateLimits.register, timeWindow: 60 * minute } },
    },
    async (request, reply) => {
      const next = safeNextPath(stringFields(request.body).next);
      const typed = typedUsernames.get(request) ?? '';
      const hidden = findHiddenCharacter(typed);
      if (hidden) {
        const values = { ...stringFields(request.body), username: typed };
        const errors = { username: hiddenCharacterMessage('A username', hidden) };
        return renderRegister(reply, { values, errors, next }, 400);
      }
      const form = formResult<typeof RegisterForm>(request);
      if (!form.ok) return renderRegister(reply, { ...form, next }, 400);
      const { username, password } = form.values;
      const taken = await whyUsernameTaken(app.db, username);
      if (taken) {
        return renderRegister(
          reply,
          { values: form.values, errors: { username: taken }, next },
          409,
        );
      }
      try {
        const passwordHash = await hashPassword(password);
        const user = await createUser(app.db, { username, passwordHash });
        await reply.startSession(user.id);
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        return renderRegister(
          reply,
          { values: form.values, errors: { username: TAKEN }, next },
          409,
        );
      }
      // A new member is welcomed first, with where they were going kept for after.
      return reply.redirect(
        next === '/' ? '/welcome' : `/welcome?next=${encodeURIComponent(next)}`,
        303,
      );
    },
  );

  app.get(
    '/welcome',
    { preHandler: requireMember, schema: { querystring: NextQuery } },
    async (request, reply) => {
      const next = safeNextPath(request.query.next);
      return reply.page('accounts/welcome', {
        title: 'Welcome',
        next: next === '/' ? null : next,
      });
    },
  );

  app.get('/login', { schema: { querystring: NextQuery } }, async (request, reply) => {
    const next = safeNextPath(request.query.next);
    if (request.member) return reply.redirect(next, 303);
    return renderLogin(reply, { next });
  });

  app.post(
    '/login',
    {
      attachValidation: true,
      preValidation: foldUsername,
      schema: { body: LoginForm },
      config: { rateLimit: { max: config.rateLimits.login, timeWindow: minute } },
    },
    async (request, reply) => {
      const next = safeNextPath(stringFields(request.body).next);
      const form = formResult<typeof LoginForm>(request);
      if (!form.ok) return renderLogin(reply, { ...form, next }, 400);
      const user = await findUserByUsername(app.db, form.values.username);
      const valid = await verifyPassword(user?.password_hash, form.values.password);
      if (!user || !valid) {
        return renderLogin(
          reply,
          { values: { username: form.values.username }, errors: { form: WRONG_LOGIN }, next },
          400,
        );
      }
      await reply.startSession(user.id);
      return reply.redirect(next, 303);
    },
  );

  app.post('/logout', async (_request, reply) => {
    await reply.endSession();
    return reply.redirect('/', 303);
  });
};

const renderRegister = (reply: FastifyReply, form: FormPage, status = 200) =>
  reply.page(
    'accounts/register',
    {
      title: 'Create an account',
      needsCsrf: true,
      usernameRule: USERNAME_RULE,
      passwordRule: PASSWORD_RULE,
      ...withDefaults(form),
    },
    status,
  );

const renderLogin = (reply: FastifyReply, form: FormPage, status = 200) =>
  reply.page('accounts/login', { title: 'Log in', needsCsrf: true, ...withDefaults(form) }, status);

/** Why another member's username rules this one out, or null when it is free. */
async function whyUsernameTaken(db: Kysely<DB>, username: string): Promise<string | null> {
  if (await usernameTaken(db, username)) return TAKEN;
  if (await usernameLookalikeTaken(db, username)) return LOOKALIKE;
  return null;
}

function withDefaults(form: FormPage) {
  // Never echo a password back into the page.
  const { password: _password, ...values } = form.values ?? {};
  return { values, errors: form.errors ?? {}, next: form.next ?? '/' };
}

/** A username as it was typed, before foldUsername: a hidden character is shown as sent. */
const typedUsernames = new WeakMap<FastifyRequest, string>();

/**
 * preValidation: the username's compatibility forms folded (NFKC: fullwidth "ａｌｉｃｅ" is
 * "alice"), then trimmed, so the form's schema judges the name that would be stored.
 */
async function foldUsername(request: FastifyRequest) {
  const body = request.body;
  if (typeof body !== 'object' || body === null || !('username' in body)) return;
  if (typeof body.username !== 'string') return;
  typedUsernames.set(request, body.username);
  body.username = body.username.normalize('NFKC').trim();
}
