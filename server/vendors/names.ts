import { nameKey } from '../security/lookalike.js';

/**
 * The key a vendor is found by: case-, space-, accent- and punctuation-insensitive, and alike for
 * names that look alike ("Dell", " DELL ", "dell." and "Dеll" with a Cyrillic е are one vendor).
 */
export function vendorMatchKey(name: string): string {
  return nameKey(name);
}

/**
 * The form search matches a vendor's names in (stored as vendor_names.search_name, under a
 * trigram index): compatibility forms folded, accents dropped, lower case; spaces, dashes, slashes
 * and underscores separate words, other punctuation joins them ("AT&T" is "att", "H.P.E." is
 * "hpe", "Dell-EMC" is "dell emc"). Words stay apart, unlike the match key, because trigrams
 * are taken word by word: "hardwre" is one typo from a word of "globex hardware", but shares too
 * few trigrams with "globexhardware" to be found in it.
 * migrations/0011_vendor_search.ts holds a frozen copy, and the SQL that agrees with it on ASCII.
 */
export function vendorSearchKey(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\s\p{Pd}/_]+/gu, ' ')
    .replace(/[^\p{L}\p{N} ]/gu, '')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/**
 * Whether `text` is at most one typo (a letter added, dropped, changed, or two side by side
 * swapped) from a run of the name's words, or from the start of one ("hoxl" is one from "hooli"):
 * both in their search form (vendorSearchKey).
 */
export function withinOneTypo(text: string, name: string): boolean {
  const words = name.split(' ');
  const count = text.split(' ').length;
  for (let start = 0; start + count <= words.length; start++) {
    const run = words.slice(start, start + count).join(' ');
    if (oneEdit(text, run)) return true;
    for (const length of [text.length - 1, text.length, text.length + 1])
      if (length < run.length && oneEdit(text, run.slice(0, length))) return true;
  }
  return false;
}

/** At most one edit apart: an insertion, deletion, substitution or swap of neighbours. */
function oneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let same = 0;
  while (same < a.length && same < b.length && a[same] === b[same]) same++;
  if (a.length !== b.length) {
    const [longer, shorter] = a.length > b.length ? [a, b] : [b, a];
    return longer.slice(same + 1) === shorter.slice(same);
  }
  if (same === a.length || a.slice(same + 1) === b.slice(same + 1)) return true;
  return (
    a[same] === b[same + 1] && a[same + 1] === b[same] && a.slice(same + 2) === b.slice(same + 2)
  );
}

/**
 * The key a partner tier is found by: case-, space-, accent- and punctuation-insensitive ("Gold",
 * "GOLD " and "gold." are one). Unchanged since tiers were first stored under it.
 */
export function tierMatchKey(tier: string): string {
  return tier
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/** The name as a member typed it, tidied: compatibility forms folded (NFKC), trimmed, inner spaces collapsed. */
export function tidyName(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/g, ' ');
}

/** A URL slug: ASCII letters and digits joined by hyphens; "vendor" when nothing is left. */
export function slugify(text: string, maxLength = 60): string {
  const slug = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxLength)
    .replace(/-+$/g, '');
  return slug || 'vendor';
}

/** Splits the comma-separated vendors field, dropping empties and repeats of one vendor. */
export function parseVendorList(field: string): string[] {
  const seen = new Set<string>();
  const names: string[] = [];
  for (const raw of field.split(',')) {
    const name = tidyName(raw);
    const key = vendorMatchKey(name);
    if (name === '' || seen.has(key || name)) continue;
    seen.add(key || name);
    names.push(name);
  }
  return names;
}
