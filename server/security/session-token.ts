import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { getRandomValues } from 'node:crypto';

// Session tokens as in the Lucia guide: "<id>.<secret>". The id finds the row; only a SHA-256 of
// the secret is stored, so a leaked sessions table does not let anyone log in.

export interface SessionToken {
  id: string;
  secret: string;
  token: string;
}

/** 120 bits of randomness, encoded as 24 lower-case base32 characters. */
function randomString(): string {
  const bytes = new Uint8Array(15);
  getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

export function generateSessionToken(): SessionToken {
  const id = randomString();
  const secret = randomString();
  return { id, secret, token: `${id}.${secret}` };
}

export function hashSessionSecret(secret: string): Uint8Array {
  return sha256(new TextEncoder().encode(secret));
}

/** Splits a cookie value into id and secret; null when it is not shaped like a token. */
export function parseSessionToken(token: string): { id: string; secret: string } | null {
  const match = /^([a-z2-7]{24})\.([a-z2-7]{24})$/.exec(token);
  return match ? { id: match[1]!, secret: match[2]! } : null;
}

export function secretMatches(secret: string, storedHash: Uint8Array): boolean {
  return constantTimeEqual(hashSessionSecret(secret), new Uint8Array(storedHash));
}
