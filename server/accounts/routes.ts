import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { DB } from '../db/schema.js';
import { checkForm, stringFields, type FieldErrors } from '../forms.js';
import { findHiddenCharacter, hiddenCharacterMessage } from '../security/lookalike.js';
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

interface FormPage {
  values?: Record<string, string>;
  errors?: FieldErrors;
  next?: string;
}

export async function accountRoutes(
  app: FastifyInstance,
  { config }: { config: Readonly<Config> },
) {
  const minute = 60_000;
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
    reply.page(
      'accounts/login',
      { title: 'Log in', needsCsrf: true, ...withDefaults(form) },
      status,
    );

  app.get('/register', async (request, reply) => {
    const next = safeNextPath(queryNext(request));
    if (request.member) return reply.redirect(next, 303);
    return renderRegister(reply, { next });
  });

  app.post(
    '/register',
    { config: { rateLimit: { max: config.rateLimits.register, timeWindow: 60 * minute } } },
    async (request, reply) => {
      const typed = stringFields(request.body);
      const next = safeNextPath(typed.next);
      const hidden = findHiddenCharacter(typed.username ?? '');
      if (hidden) {
        const message = hiddenCharacterMessage('A username', hidden);
        return renderRegister(reply, { values: typed, errors: { username: message }, next }, 400);
      }
      const form = checkForm(RegisterForm, normalizeUsername(request.body));
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
      return reply.redirect(next, 303);
    },
  );

  app.get('/login', async (request, reply) => {
    const next = safeNextPath(queryNext(request));
    if (request.member) return reply.redirect(next, 303);
    return renderLogin(reply, { next });
  });

  app.post(
    '/login',
    { config: { rateLimit: { max: config.rateLimits.login, timeWindow: minute } } },
    async (request, reply) => {
      const next = safeNextPath(stringFields(request.body).next);
      const form = checkForm(LoginForm, normalizeUsername(request.body));
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
}

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

function queryNext(request: FastifyRequest): unknown {
  return (request.query as Record<string, unknown>).next;
}

/** Compatibility forms folded (NFKC: fullwidth "ａｌｉｃｅ" is "alice"), then trimmed. */
function normalizeUsername(body: unknown): Record<string, string> {
  const fields = stringFields(body);
  if (fields.username !== undefined) fields.username = fields.username.normalize('NFKC').trim();
  return fields;
}
