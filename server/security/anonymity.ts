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
  /** Same for one member within one thread, unrelated across threads: the link to the author. */
  authorTag(threadId: number, memberId: number): string;
  /** The short public pseudonym for a tag; stored with the post, so it outlives the tag. */
  pseudonym(authorTag: string): string;
  /** The member id sealed (AES-256-GCM, random nonce), always of one length. */
  seal(memberId: number): string;
  /** The member id from a sealed box; null when the box was not made with this secret. */
  open(box: string): number | null;
  /** Random values of the same length as a tag and a box: what a deleted member's posts keep. */
  unlinked(): { authorTag: string; authorBox: string };
  /** Same for one member's named stories about one vendor (one voice per member per vendor). */
  namedVoice(vendorId: number, memberId: number): string;
  /** Marks that a member holds an anonymous story about a vendor; tied to no story. */
  anonymousVoice(vendorId: number, memberId: number): string;
  /** The key of a member's suspension: names nobody without the secret. */
  suspensionSubject(memberId: number): string;
  /** Whom a stored notice (about a named post) is for. */
  noticeRecipient(memberId: number): string;
  /** The key of the member's ledger of their own anonymous posts. */
  ledgerOwner(memberId: number): string;
  /** A member's email address sealed (AES-256-GCM, random nonce), padded to one length. */
  sealAddress(address: string): string;
  /** The address from a sealed box; null when the box was not made with this secret. */
  openAddress(box: string): string | null;
  /** A keyed hash of an address (case ignored): finds it and keeps it unique, shows nothing. */
  addressHash(address: string): string;
  /** Whom a queued mail is for: lets a deletion drop the member's mail, names nobody. */
  mailRecipient(memberId: number): string;
  /** Signs a link that acts for a member without a login (unsubscribe). */
  linkSignature(purpose: string, memberId: number): string;
  /** A keyed fingerprint of the secret itself: tells a start with the wrong secret. */
  fingerprint(): string;
  /**
   * Any JSON value sealed like the member id, padded with spaces to the smallest of a few fixed
   * sizes (at least `minBytes`), so that its length tells little about its content.
   */
  sealData(data: unknown, minBytes?: number): string;
  /** The value of a sealed box, or null when it was not made with this secret. */
  openData<T>(box: string): T | null;
}

export const ANONYMOUS_LABEL = 'Anonymous provider';

const PSEUDONYM_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
// Member ids are sealed at one width, so that the box's length says nothing about the id.
const SEALED_ID_WIDTH = 16;
const TAG_BYTES = 32;
// Addresses are at most 254 bytes (SMTP's limit): padded to 256, their length says nothing.
const SEALED_ADDRESS_WIDTH = 256;

export function createAnonymity(secret: string): Anonymity {
  const key = (purpose: string) =>
    Buffer.from(hkdfSync('sha256', secret, '', `partner-stories ${purpose}`, 32));
  const tagKey = key('author tag');
  const pseudonymKey = key('pseudonym');
  const sealKey = key('sealed author');
  const voiceKey = key('voice');
  const suspensionKey = key('suspension');
  const recipientKey = key('notification recipient');
  const ledgerKey = key('anonymous ledger');
  const dataKey = key('sealed data');
  const addressKey = key('email address');
  const addressHashKey = key('email address hash');
  const mailKey = key('mail recipient');
  const linkKey = key('signed link');
  const hmac = (k: Buffer, message: string) =>
    createHmac('sha256', k).update(message).digest().toString('base64url');

  return {
    authorTag: (threadId, memberId) => hmac(tagKey, `${threadId}:${memberId}`),
    pseudonym(authorTag) {
      const bytes = createHmac('sha256', pseudonymKey).update(authorTag).digest();
      let name = '';
      for (let i = 0; i < 4; i++) name += PSEUDONYM_ALPHABET[bytes[i]! % PSEUDONYM_ALPHABET.length];
      return name;
    },
    seal: (memberId) => sealWith(sealKey, String(memberId).padStart(SEALED_ID_WIDTH, '0')),
    open(box) {
      const text = openWith(sealKey, box);
      const id = text === null || text === '' ? NaN : Number(text);
      return Number.isInteger(id) && id > 0 ? id : null;
    },
    unlinked: () => ({
      authorTag: randomBytes(TAG_BYTES).toString('base64url'),
      // Nonce, GCM tag and a sealed id of the fixed width: the length of every real box.
      authorBox: randomBytes(12 + 16 + SEALED_ID_WIDTH).toString('base64url'),
    }),
    namedVoice: (vendorId, memberId) => hmac(voiceKey, `${vendorId}:${memberId}:named`),
    anonymousVoice: (vendorId, memberId) => hmac(voiceKey, `${vendorId}:${memberId}:anonymous`),
    suspensionSubject: (memberId) => hmac(suspensionKey, String(memberId)),
    noticeRecipient: (memberId) => hmac(recipientKey, `${memberId}:named`),
    ledgerOwner: (memberId) => hmac(ledgerKey, String(memberId)),
    // Padded in bytes, not characters: "日" is three bytes, and the box must not tell.
    sealAddress: (address) =>
      sealWith(
        addressKey,
        address + ' '.repeat(Math.max(0, SEALED_ADDRESS_WIDTH - Buffer.byteLength(address))),
      ),
    openAddress: (box) => openWith(addressKey, box)?.trimEnd() ?? null,
    addressHash: (address) => hmac(addressHashKey, address.trim().toLowerCase()),
    mailRecipient: (memberId) => hmac(mailKey, String(memberId)),
    linkSignature: (purpose, memberId) => hmac(linkKey, `${purpose}:${memberId}`),
    fingerprint: () => hmac(key('fingerprint'), 'partner-stories'),
    sealData: (data, minBytes = 256) => sealWith(dataKey, padded(JSON.stringify(data), minBytes)),
    openData<T>(box: string) {
      const text = openWith(dataKey, box);
      return text === null ? null : (JSON.parse(text) as T);
    },
  };
}

/** A copy in random order: rows written in it say nothing by their position. */
export function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** Pads with spaces (JSON ignores them) to minBytes, 4×minBytes, 16×minBytes, … */
function padded(json: string, minBytes: number) {
  const length = Buffer.byteLength(json);
  let size = minBytes;
  while (size < length) size *= 4;
  return json + ' '.repeat(size - length);
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
