import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** A header as sent (its unfolded text after the colon), by name in any case. */
  header(name: string): string | undefined;
  /** The links in the plain-text part, in order. */
  links: string[];
}

/**
 * A real SMTP server in the test process (the smtp-server package): it receives what the forum
 * sends, parses each mail, and can be told to refuse mail for a while.
 */
export class MailCatcher {
  readonly received: ReceivedMail[] = [];
  /** While set, every mail is refused with this SMTP reply (e.g. 451 try again later). */
  refuse: { code: number; message: string } | null = null;
  private server: SMTPServer;
  private waiters: (() => void)[] = [];

  constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      // Plain SMTP on the loopback: no self-signed certificate for the client to reject.
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, _session, callback) => {
        const refusal = this.refuse;
        simpleParser(stream).then(
          (mail) => {
            if (refusal) {
              const error = Object.assign(new Error(refusal.message), {
                responseCode: refusal.code,
              });
              return callback(error);
            }
            this.received.push(toReceived(mail));
            callback();
            for (const wake of this.waiters.splice(0)) wake();
          },
          (error: Error) => callback(error),
        );
      },
    });
  }

  async start() {
    this.server.listen(0, '127.0.0.1');
    await once(this.server.server, 'listening');
    return this;
  }

  get url() {
    const { port } = this.server.server.address() as AddressInfo;
    return `smtp://127.0.0.1:${port}`;
  }

  /** The mails to an address so far. */
  to(address: string) {
    return this.received.filter((mail) => mail.to.toLowerCase() === address.toLowerCase());
  }

  /** Waits until `count` mails have arrived for `address`, failing after `timeoutMs`. */
  async waitFor(address: string, count = 1, timeoutMs = 20_000) {
    const deadline = Date.now() + timeoutMs;
    while (this.to(address).length < count) {
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`expected ${count} mail(s) to ${address}, got ${this.to(address).length}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 1000));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.to(address);
  }

  async stop() {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function toReceived(mail: ParsedMail): ReceivedMail {
  const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
  const text = mail.text ?? '';
  return {
    to: to?.value[0]?.address ?? '',
    subject: mail.subject ?? '',
    text,
    html: typeof mail.html === 'string' ? mail.html : '',
    header: (name) =>
      mail.headerLines
        .find((line) => line.key === name.toLowerCase())
        ?.line.replace(/^[^:]+:\s*/, '')
        .replace(/\r?\n\s+/g, ' '),
    links: text.match(/https?:\/\/\S+/g) ?? [],
  };
}

/** The path of the first link in a mail that contains `part` ("/password/reset/"). */
export function linkPath(mail: ReceivedMail, part: string) {
  const link = mail.links.find((url) => url.includes(part));
  if (!link) throw new Error(`no link with ${part} in: ${mail.text}`);
  return new URL(link).pathname;
}
