import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import nodemailer from 'nodemailer';
import type { Config } from '../config.js';
import type { MailMessage } from './message.js';

/** Hands a mail to the world: an SMTP server, or the outbox folder when there is none. */
export interface MailTransport {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

export function createTransport(config: Readonly<Config>, log: FastifyBaseLogger): MailTransport {
  return config.smtpUrl
    ? smtpTransport(config.smtpUrl, config.mailFrom)
    : outboxTransport(path.join(config.dataDir, 'outbox'), config.mailFrom, log);
}

function smtpTransport(url: string, from: string): MailTransport {
  // No pool: a mail is sent on its own connection, so a server that hangs holds one send only.
  const transporter = nodemailer.createTransport({
    url,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  });
  return {
    async send(message) {
      await transporter.sendMail({ from, ...message });
    },
    close: () => transporter.close(),
  };
}

/**
 * Without SMTP_URL: each mail becomes an .eml file in DATA_DIR/outbox (any mail program opens
 * it), and its links are logged, so that a forum started with `npm start` can confirm an address
 * or reset a password with nothing else running. The log line names no address.
 */
function outboxTransport(folder: string, from: string, log: FastifyBaseLogger): MailTransport {
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true });
  let written = 0;
  return {
    async send(message) {
      const info = await transporter.sendMail({ from, ...message });
      await mkdir(folder, { recursive: true, mode: 0o700 });
      const file = path.join(folder, `${Date.now()}-${process.pid}-${++written}.eml`);
      await writeFile(file, info.message as Buffer, { mode: 0o600 });
      const links = message.text.match(/https?:\/\/\S+/g) ?? [];
      log.info({ file, subject: message.subject, links }, 'mail written to the outbox');
    },
    close: () => transporter.close(),
  };
}
