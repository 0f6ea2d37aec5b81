import { Eta } from 'eta';
import { viewsDir, SITE_NAME } from '../plugins/views.js';
import type { MailMessage } from './message.js';

// Both parts of a mail come from templates in views/mail: NAME.html.eta (escaped, in the mail
// layout) and NAME.text.eta (plain text: nothing to escape).
const htmlViews = new Eta({ views: viewsDir, autoEscape: true, cache: true });
// Plain text keeps every newline it is written with; control lines end in -%> to leave none.
const textViews = new Eta({ views: viewsDir, autoEscape: false, autoTrim: false, cache: true });

export interface MailContext {
  /** Where the forum is: every link in a mail is absolute. */
  publicUrl: string;
  /** The member's one-click unsubscribe link, in the footer and the List-Unsubscribe headers. */
  unsubscribeUrl: string;
}

/** Renders views/mail/NAME.{html,text}.eta into a mail for `to`. */
export function renderMail(
  name: string,
  to: string,
  subject: string,
  data: Record<string, unknown>,
  context: MailContext,
): MailMessage {
  const it = { ...data, ...context, subject, siteName: SITE_NAME };
  return {
    to,
    subject,
    text: textViews.render(`/mail/${name}.text.eta`, it),
    html: htmlViews.render(`/mail/${name}.html.eta`, it),
    headers: {
      'List-Unsubscribe': `<${context.unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  };
}
