import { hash, verify } from '@node-rs/argon2';

// OWASP's argon2id parameters: 19 MiB of memory, 2 iterations, 1 lane.
// @node-rs/argon2 uses argon2id unless told otherwise.
const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

// Verified against when the username is unknown, so that a miss costs as long as a wrong password.
const UNKNOWN_USER_HASH = hash('not a real password, only spends the time', OPTIONS);

/** True when the password matches the stored hash; with no hash it still spends the same time. */
export async function verifyPassword(storedHash: string | undefined, password: string) {
  if (storedHash === undefined) {
    await verify(await UNKNOWN_USER_HASH, password);
    return false;
  }
  return verify(storedHash, password);
}
