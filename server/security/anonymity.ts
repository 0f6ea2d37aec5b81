import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

declare module 'fastify' {
  interface FastifyInstance {
    anonymity: Anonymity;
  }
}

/**
 * Everything that links an anonymous post to its author, keyed by ANON_SECRET. The secret lives
 * outside the database, so a dump without it reveals no author, and posts in different threads
 * cannot be linked to each other.
 */
export interface Anonymity {
  /** Same for one member within one thread, unrelated across threads. */
  authorTag(threadId: number, memberId: number): string;
  /** The short public pseudonym shown beside "Anonymous provider" for a tag. */
  pseudonym(authorTag: string): string;
  /** The member id sealed (AES-256-GCM, random nonce) for server-side actions on the author. */
  seal(memberId: number): string;
  /** The member id from a sealed box; null when the box was not made with this secret. */
  open(box: string): number | null;
  /** One byte of a keyed hash: narrows the search for a member's own anonymous posts. */
  ownerHint(memberId: number): number;
  /**
   * Same for one member's stories about one vendor (one voice per member per vendor), kept apart
   * for named and anonymous stories: a shared key would tie a member's anonymous stories to
   * their named ones, in a dump and through the vendor's counts.
   */
  voiceKey(vendorId: number, memberId: number, anonymous: boolean): string;
  /** The key of a member's suspension: names nobody without the secret. */
  suspensionSubject(memberId: number): string;
  /** Whom a notice is for: one key for notices about named posts, another for anonymous ones. */
  notificationRecipient(memberId: number, aboutAnonymousPost: boolean): string;
  /** Any JSON value sealed like the member id (AES-256-GCM, random nonce). */
  sealData(data: unknown): string;
  /** The value of a sealed box, or null when it was not made with this secret. */
  openData<T>(box: string): T | null;
}

export const ANONYMOUS_LABEL = 'Anonymous provider';

const PSEUDONYM_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export function createAnonymity(secret: string): Anonymity {
  const key = (purpose: string) =>
    Buffer.from(hkdfSync('sha256', secret, '', `partner-stories ${purpose}`, 32));
  const tagKey = key('author tag');
  const pseudonymKey = key('pseudonym');
  const sealKey = key('sealed author');
  const hintKey = key('owner hint');
  const voiceKey = key('voice');
  const suspensionKey = key('suspension');
  const recipientKey = key('notification recipient');
  const dataKey = key('sealed data');
  const hmac = (k: Buffer, message: string) => createHmac('sha256', k).update(message).digest();

  return {
    authorTag: (threadId, memberId) =>
      hmac(tagKey, `${threadId}:${memberId}`).toString('base64url'),
    pseudonym(authorTag) {
      const bytes = hmac(pseudonymKey, authorTag);
      let name = '';
      for (let i = 0; i < 4; i++) name += PSEUDONYM_ALPHABET[bytes[i]! % PSEUDONYM_ALPHABET.length];
      return name;
    },
    seal: (memberId) => sealWith(sealKey, String(memberId)),
    open(box) {
      const text = openWith(sealKey, box);
      const id = text === null || text === '' ? NaN : Number(text);
      return Number.isInteger(id) ? id : null;
    },
    ownerHint: (memberId) => hmac(hintKey, String(memberId))[0]!,
    notificationRecipient: (memberId, anonymous) =>
      hmac(recipientKey, `${memberId}:${anonymous ? 'anonymous' : 'named'}`).toString('base64url'),
    sealData: (data) => sealWith(dataKey, JSON.stringify(data)),
    openData<T>(box: string) {
      const text = openWith(dataKey, box);
      return text === null ? null : (JSON.parse(text) as T);
    },
    suspensionSubject: (memberId) => hmac(suspensionKey, String(memberId)).toString('base64url'),
    voiceKey: (vendorId, memberId, anonymous) =>
      hmac(voiceKey, `${vendorId}:${memberId}:${anonymous ? 'anonymous' : 'named'}`).toString(
        'base64url',
      ),
  };
}

function sealWith(key: Buffer, text: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  const sealed = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return Buffer.concat([nonce, cipher.getAuthTag(), sealed]).toString('base64url');
}

function openWith(key: Buffer, box: string): string | null {
  try {
    const bytes = Buffer.from(box, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
