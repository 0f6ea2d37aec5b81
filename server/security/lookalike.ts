import unhomoglyph from 'unhomoglyph';

// Names that look alike must be one name: "Dеll" (Cyrillic е) is Dell, "aIice" is alice.
// Matching follows Unicode TR39: the confusable skeleton, built from Unicode's confusables.txt
// (as packaged by unhomoglyph), plus case folding.

/** The TR39 skeleton: NFD, each character replaced by its confusable prototype, NFD again. */
export function skeleton(text: string): string {
  return unhomoglyph(text.normalize('NFD')).normalize('NFD');
}

const NOT_NAME = /[^\p{L}\p{N}]/gu;
const NOT_USERNAME = /[^\p{L}\p{N}_-]/gu;

/** Compatibility forms folded (fullwidth, ligatures), accents dropped, then `drop` removed. */
function bare(text: string, drop: RegExp): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').replace(drop, '');
}

/**
 * One key for every spelling that looks alike or differs only in case, accents, width or the
 * characters `drop` removes. The skeleton is taken before lowercasing (uppercase look-alikes:
 * Cyrillic "НР" is HP, "I" is "l") and again after (lowercase ones: "rn" is "m"); as "I" looks
 * like "l" and is "i" in another case, "i" and "l" are one letter in the key.
 */
function lookalikeKey(text: string, drop: RegExp): string {
  let key = bare(text, drop);
  for (let round = 0; round < 2; round++) key = bare(skeleton(key).toLowerCase(), drop);
  return key.replace(/i/g, 'l');
}

/** Vendor names and tiers: also space- and punctuation-insensitive ("Dell." is "dell"). */
export function nameKey(name: string): string {
  return lookalikeKey(name, NOT_NAME);
}

/** Usernames: "_" and "-" count, so "bob_smith" and "bob-smith" may both exist. */
export function usernameKey(username: string): string {
  return lookalikeKey(username, NOT_USERNAME);
}

// Bidi controls (embeddings, overrides, isolates, marks), and characters that show nothing:
// default-ignorable code points (zero-width characters, soft hyphen, variation selectors, tag
// characters, fillers), other format characters, and the blank Braille pattern.
const HIDDEN =
  /[\p{Default_Ignorable_Code_Point}\p{Cf}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2800]/u;

/** The first invisible or text-direction character in `text`, as "U+202E", or null. */
export function findHiddenCharacter(text: string): string | null {
  const found = HIDDEN.exec(text)?.[0];
  if (found === undefined) return null;
  return `U+${found.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The message shown beside a field holding such a character. */
export function hiddenCharacterMessage(what: string, code: string): string {
  return `${what} cannot contain an invisible character or text-direction control (${code}). Remove it and try again.`;
}
