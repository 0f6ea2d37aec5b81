import { timingSafeEqual } from 'node:crypto';
import type { MailContext } from '../mail/render.js';
import type { Anonymity } from '../security/anonymity.js';

const UNSUBSCRIBE = 'unsubscribe';

/** The absolute links every mail to a member carries (the unsubscribe link needs no login). */
export function mailContext(
  publicUrl: string,
  anonymity: Anonymity,
  memberId: number,
): MailContext {
  const token = `${memberId}.${anonymity.linkSignature(UNSUBSCRIBE, memberId)}`;
  return {
    publicUrl,
    unsubscribeUrl: `${publicUrl}/email/unsubscribe/${token}`,
  };
}

/** The member an unsubscribe token was signed for; null when it is not one we signed. */
export function unsubscribeMember(anonymity: Anonymity, token: string): number | null {
  const match = /^([1-9][0-9]{0,9})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return null;
  const memberId = Number(match[1]);
  const expected = Buffer.from(anonymity.linkSignature(UNSUBSCRIBE, memberId));
  const given = Buffer.from(match[2]!);
  return expected.length === given.length && timingSafeEqual(expected, given) ? memberId : null;
}
