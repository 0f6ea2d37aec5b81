/** One mail, as queued and sent: both parts, and any extra headers (List-Unsubscribe). */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  headers?: Record<string, string>;
}

/** Error text without addresses: an SMTP refusal often quotes the recipient. */
export function withoutAddresses(text: string): string {
  return text.replace(/[^\s<>@"'(),;:]+@[^\s<>@"'(),;:]+/g, '[address]').slice(0, 500);
}
