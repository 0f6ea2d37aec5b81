import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { DB } from '../db/schema.js';
import {
  claimDueMail,
  enqueueMail,
  markFailed,
  markSent,
  purgeFailedMail,
  type ClaimedMail,
} from './queue.js';
import { withoutAddresses, type MailMessage } from './message.js';
import { createTransport, type MailTransport } from './transport.js';

declare module 'fastify' {
  interface FastifyInstance {
    mail: Mailer;
  }
}

export interface Mailer {
  /** Where readers reach the forum (PUBLIC_URL): links in mail start with it. */
  readonly publicUrl: string;
  /** Queues a mail for a member (in `db`, which may be the caller's transaction). */
  queue(db: Kysely<DB>, memberId: number, message: MailMessage): Promise<void>;
  /** Asks the worker to look at the queue soon (after the caller's transaction committed). */
  kick(): void;
  /** Sends every mail that is due now; what the worker runs. Resolves with how it went. */
  drain(): Promise<{ sent: number; failed: number }>;
  /** Runs `task` on every poll of the worker (the digests use it), after the queue is drained. */
  onPoll(task: () => Promise<void>): void;
}

const BATCH = 10;
// Longer than the SMTP timeouts of one send (server/mail/transport.ts), so a claim outlives it.
const LEASE_MS = 120_000;
/** Old failed mail is looked for once an hour, not on every poll. */
const PURGE_EVERY_MS = 3_600_000;

/**
 * Mail is sent outside requests: a page queues it in the database and returns; a worker in each
 * instance drains the queue every MAIL_POLL_MS, so a slow or failing SMTP server never delays a
 * page and a restart loses no mail.
 */
export const mailPlugin = fp<{ config: Readonly<Config>; transport?: MailTransport }>(
  async (app, { config, transport: given }) => {
    const transport = given ?? createTransport(config, app.log);
    const pollTasks: (() => Promise<void>)[] = [];
    let running: Promise<{ sent: number; failed: number }> | null = null;
    let timer: NodeJS.Timeout | undefined;
    let closing = false;
    let purgedAt = 0;

    const sendOne = async (mail: ClaimedMail) => {
      const message = app.anonymity.openData<MailMessage>(mail.sealed);
      try {
        if (!message) throw new Error('sealed with another ANON_SECRET');
        await transport.send(message);
        await markSent(app.db, mail.id);
        return true;
      } catch (error) {
        const reason = withoutAddresses(error instanceof Error ? error.message : String(error));
        const gaveUp = await markFailed(app.db, mail, reason, config.mail);
        app.log.warn({ mail: mail.id, attempt: mail.attempts, gaveUp, reason }, 'mail not sent');
        return false;
      }
    };

    const drainOnce = async () => {
      let sent = 0;
      let failed = 0;
      for (;;) {
        const batch = await claimDueMail(app.db, BATCH, LEASE_MS);
        for (const mail of batch) {
          if (await sendOne(mail)) sent++;
          else failed++;
        }
        if (batch.length < BATCH || closing) return { sent, failed };
      }
    };

    const drain = () => {
      // One drain at a time per instance; a caller during one waits for it and then runs anew.
      const next = (running ?? Promise.resolve()).then(drainOnce, drainOnce);
      running = next.finally(() => {
        if (running === next) running = null;
      }) as Promise<{ sent: number; failed: number }>;
      return next;
    };

    const poll = async () => {
      try {
        await drain();
        for (const task of pollTasks) await task();
        await drain();
        if (Date.now() - purgedAt > PURGE_EVERY_MS) {
          purgedAt = Date.now();
          await purgeFailedMail(app.db);
        }
      } catch (error) {
        app.log.error({ err: error }, 'mail worker failed; it tries again on its next round');
      }
    };

    const schedule = () => {
      if (closing || config.mail.pollMs === 0) return;
      timer = setTimeout(() => void poll().finally(schedule), config.mail.pollMs);
      timer.unref();
    };

    app.decorate('mail', {
      publicUrl: config.publicUrl,
      queue: (db, memberId, message) => enqueueMail(db, app.anonymity, memberId, message),
      kick() {
        if (closing || config.mail.pollMs === 0) return;
        void drain().catch((error) => app.log.error({ err: error }, 'mail worker failed'));
      },
      drain,
      onPoll: (task) => void pollTasks.push(task),
    } satisfies Mailer);

    app.addHook('onReady', async () => schedule());
    app.addHook('onClose', async () => {
      closing = true;
      clearTimeout(timer);
      await running?.catch(() => undefined);
      transport.close();
    });
  },
  { name: 'mail', dependencies: ['database'] },
);
