import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import type { Config } from '../config.js';
import { inTransaction } from '../db/transaction.js';
import { hashPassword } from '../accounts/passwords.js';
import { isUniqueViolation, updatePassword } from '../accounts/queries.js';
import { PASSWORD_RULE, ResetPasswordForm } from '../accounts/schemas.js';
import { deleteMemberSessions } from '../accounts/sessions.js';
import type { FieldErrors } from '../forms.js';
import { HttpError } from '../http-errors.js';
import { formResult } from '../plugins/validation.js';
import { confirmAddress, findByLogin, setFrequency } from './addresses.js';
import { unsubscribeMember } from './links.js';
import { mailDueNotices } from './digests.js';
import { ForgotForm, TokenParams } from './schemas.js';
import { queuePasswordChanged, sendResetLink } from './service.js';
import { consumeToken, peekToken, purgeOldTokens, retireTokens } from './tokens.js';

const HOUR = 3_600_000;
/** Reset links one account may be sent per hour, whoever asks. */
const RESETS_PER_ACCOUNT = 3;
/** Requests per hour naming one username or address, from anywhere. */
const RESETS_PER_LOGIN = 5;

/**
 * The links mail carries: confirming an address, resetting a password, unsubscribing. None needs
 * a login: the token in the link is the proof.
 */
export const emailRoutes: FastifyPluginAsyncTypebox<{ config: Readonly<Config> }> = async (
  app,
  { config },
) => {
  // Each poll of the mail worker also mails the notices that are due.
  let purgedAt = 0;
  app.mail.onPoll(async () => {
    await mailDueNotices(app);
    // Old links are looked for once an hour, not on every poll.
    if (Date.now() - purgedAt > HOUR) {
      purgedAt = Date.now();
      await purgeOldTokens(app.db);
    }
  });

  // Reset requests are answered before they are looked into; their work finishes here.
  const pending = new Set<Promise<void>>();
  app.addHook('onClose', async () => {
    await Promise.allSettled(pending);
  });

  const linkInvalid = (reply: FastifyReply) =>
    reply.page('email/link-invalid', { title: 'This link no longer works', needsCsrf: false }, 410);

  app.get(
    '/email/confirm/:token',
    { schema: { params: TokenParams }, config: { privatePage: true } },
    async (request, reply) => {
      try {
        const outcome = await inTransaction(app.db, async (trx) => {
          const token = await consumeToken(trx, request.params.token, 'confirm');
          if (!token) return 'invalid';
          const confirmed = await confirmAddress(trx, token.user_id, token.address_hash ?? '');
          return confirmed ? 'confirmed' : 'replaced';
        });
        if (outcome === 'invalid') return linkInvalid(reply);
        if (outcome === 'replaced') {
          return reply.page(
            'email/confirmed',
            { title: 'This address was replaced', replaced: true },
            410,
          );
        }
        return reply.page('email/confirmed', { title: 'Your address is confirmed' });
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        return reply.page(
          'email/confirmed',
          { title: 'This address belongs to another account', taken: true },
          409,
        );
      }
    },
  );

  app.get('/password/forgot', async (_request, reply) =>
    reply.page('email/forgot', {
      title: 'Forgot your password?',
      values: {},
      errors: {},
      needsCsrf: true,
    }),
  );

  // Counted in the handler: a route's own limit (per client address, below) marks the request
  // as limited already, and a second hook-style limiter would then count nothing.
  const perLogin = app.createRateLimit({
    max: RESETS_PER_LOGIN,
    timeWindow: HOUR,
    keyGenerator: (request) => {
      const login = (request.body as { login?: unknown } | undefined)?.login;
      // Keyed, so that a rate-limit store (Redis) cannot be checked against a list of addresses.
      const key = app.anonymity.addressHash(typeof login === 'string' ? login : '');
      return `password-reset:${key}`;
    },
  });

  app.post(
    '/password/forgot',
    {
      schema: { body: ForgotForm },
      attachValidation: true,
      config: { rateLimit: { max: config.rateLimits.login, timeWindow: 60_000 } },
    },
    async (request, reply) => {
      const form = formResult<typeof ForgotForm>(request);
      if (!form.ok) {
        return reply.page(
          'email/forgot',
          {
            title: 'Forgot your password?',
            values: form.values,
            errors: form.errors,
            needsCsrf: true,
          },
          400,
        );
      }
      const limit = await perLogin(request);
      if (!limit.isAllowed && limit.isExceeded) {
        // The same for every login, known or not: it tells nothing about accounts.
        throw new HttpError(
          429,
          'This username or address was named too often in the last hour. Please try again later.',
        );
      }
      // Answered the same way whoever is named, and only once the answer is out do the lookup
      // and the mail begin: on the embedded database they share the thread with the answer, so
      // starting them sooner made a known login's answer slower than an unknown one's.
      const login = form.values.login;
      reply.raw.once('close', () => {
        const work = requestReset(login)
          .catch((error) => app.log.error({ err: error }, 'password reset request failed'))
          .finally(() => pending.delete(work));
        pending.add(work);
      });
      return reply.page('email/forgot-sent', { title: 'Check your mail' });
    },
  );

  async function requestReset(login: string) {
    const memberId = await findByLogin(app.db, app.anonymity, login);
    if (memberId === null) return;
    await sendResetLink(app, memberId, { perHour: RESETS_PER_ACCOUNT });
  }

  const resetPage = (reply: FastifyReply, errors: FieldErrors = {}, status = 200) =>
    reply.page(
      'email/reset',
      { title: 'Choose a new password', errors, passwordRule: PASSWORD_RULE, needsCsrf: true },
      status,
    );

  app.get(
    '/password/reset/:token',
    { schema: { params: TokenParams }, config: { privatePage: true } },
    async (request, reply) => {
      const token = await peekToken(app.db, request.params.token, 'reset');
      return token ? resetPage(reply) : linkInvalid(reply);
    },
  );

  app.post(
    '/password/reset/:token',
    {
      schema: { params: TokenParams, body: ResetPasswordForm },
      attachValidation: true,
      config: { rateLimit: { max: config.rateLimits.login, timeWindow: 60_000 } },
    },
    async (request, reply) => {
      const form = formResult<typeof ResetPasswordForm>(request);
      if (!form.ok) {
        if (!(await peekToken(app.db, request.params.token, 'reset'))) return linkInvalid(reply);
        return resetPage(reply, form.errors, 400);
      }
      const passwordHash = await hashPassword(form.values.password);
      const reset = await inTransaction(app.db, async (trx) => {
        const token = await consumeToken(trx, request.params.token, 'reset');
        if (!token) return false;
        await updatePassword(trx, token.user_id, passwordHash);
        await retireTokens(trx, token.user_id, 'reset');
        await deleteMemberSessions(trx, token.user_id);
        await queuePasswordChanged(app, trx, token.user_id);
        return true;
      });
      if (!reset) return linkInvalid(reply);
      app.mail.kick();
      if (request.member) await reply.endSession();
      return reply.page('email/reset-done', { title: 'Your password is changed' });
    },
  );

  // RFC 8058's one-click POST may come as multipart/form-data. Its body says nothing the signed
  // link does not: read within the body limit and dropped.
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (_request, _body, done) =>
    done(null, {}),
  );

  app.get(
    '/email/unsubscribe/:token',
    { schema: { params: TokenParams }, config: { privatePage: true } },
    async (request, reply) => {
      if (unsubscribeMember(app.anonymity, request.params.token) === null) {
        return reply.page('email/link-invalid', { title: 'This link no longer works' }, 404);
      }
      return reply.page('email/unsubscribe', { title: 'Unsubscribe', token: request.params.token });
    },
  );

  // One click from the mail program (List-Unsubscribe-Post) or the page's button: no login, no
  // form token; the signed link is the proof.
  app.post(
    '/email/unsubscribe/:token',
    {
      schema: { params: TokenParams },
      config: {
        csrf: false,
        privatePage: true,
        rateLimit: { max: config.rateLimits.writes, timeWindow: 60_000 },
      },
    },
    async (request, reply) => {
      const memberId = unsubscribeMember(app.anonymity, request.params.token);
      if (memberId === null) {
        return reply.page('email/link-invalid', { title: 'This link no longer works' }, 404);
      }
      await setFrequency(app.db, memberId, 'never');
      return reply.page('email/unsubscribed', { title: 'You are unsubscribed' });
    },
  );
};
