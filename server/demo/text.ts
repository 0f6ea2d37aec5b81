// What the demo's texts are filled in with: the facts of one story, which its title, body,
// replies and the vendor's answer all share, and small helpers for writing English around them.

export interface Ctx {
  vendor: string;
  /** The vendor as partners call it in a hurry: "Globex". */
  short: string;
  /** What a deal is about: "storage refresh". */
  product: string;
  /** The vendor's product line, as partners sell and learn it: "hyperconverged platform". */
  line: string;
  /** "a regional hospital group". */
  customer: string;
  amount: string;
  tier: string | null;
  /** The level below `tier`, for a downgrade; null when there is none. */
  lowerTier: string | null;
  days: number;
  weeks: number;
  months: number;
  percent: number;
  count: number;
  engineers: number;
  month: string;
  /** How the author describes their company, in named stories only. */
  about: string | null;
  /** Another vendor's short name, for comparisons. */
  other: string;
}

export type Text = (c: Ctx) => string;

export const cap = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** "a regional hospital group" → "regional hospital group". */
export const bare = (text: string) => text.replace(/^(a|an|the) /, '');

/** "a" or "an" before a word as it is said: "an ERP upgrade", "a UPS range", "an all-flash array". */
export const article = (word: string) =>
  /^[A-Z]{2,}/.test(word)
    ? /^[AEFHILMNORSX]/.test(word)
      ? 'an'
      : 'a'
    : /^[aeiou]/i.test(word)
      ? 'an'
      : 'a';

/** The word with its article: "an all-flash array". */
export const an = (word: string) => `${article(word)} ${word}`;

/** "a Gold partner" or "a partner". */
export const asPartner = (c: Ctx) =>
  c.tier ? `${article(c.tier)} ${c.tier} partner` : 'a partner';

export const number = (n: number) =>
  [
    'zero',
    'one',
    'two',
    'three',
    'four',
    'five',
    'six',
    'seven',
    'eight',
    'nine',
    'ten',
    'eleven',
    'twelve',
  ][n] ?? String(n);

// Each reads as a noun phrase and as a modifier ("our sixty-store retail chain pitch").
export const CUSTOMERS = [
  'a regional hospital group',
  'a 400-seat law firm',
  'a twelve-depot logistics company',
  'a city council',
  'a university faculty',
  'a dental clinic chain',
  'a packaging manufacturer',
  'a private school group',
  'an insurance broker',
  'a hotel group',
  'a food wholesaler',
  'an engineering consultancy',
  'a housing association',
  'a credit union',
  'a regional airport',
  'a sixty-store retail chain',
  'a biotech start-up',
  'a water utility',
  'a car dealership group',
  'a public library network',
  'a shipping agent',
  'an architecture practice',
  'a care home operator',
  'a football club',
  'a farm cooperative',
  'a family-owned brewery',
  'a medical laboratory',
  'a translation agency',
  'a ski resort',
  'a port authority',
  'a post-production studio',
  'a regional newspaper',
];

export const AMOUNTS = [
  '$38k',
  '$45k',
  '$65k',
  '$80k',
  '$90k',
  '$120k',
  '$150k',
  '$180k',
  '$240k',
  '$310k',
  '$450k',
  '$720k',
];

export const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'September',
  'October',
  'November',
];

/** Whether a sentence occurs twice in the text (sentences end with . ! ? or a line). */
export function hasRepeatedSentence(text: string) {
  const sentences = splitSentences(text);
  return new Set(sentences).size !== sentences.length;
}

/** Sentences this long are noticed when they come back in another story; shorter ones are not. */
export const NOTICEABLE = 40;

/** The sentences of a text that a reader would notice seeing again. */
export const noticeable = (text: string) =>
  splitSentences(text).filter((sentence) => sentence.length >= NOTICEABLE);

export function splitSentences(text: string) {
  return text
    .split(/\n+|(?<=[.!?])\s+/)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence.length > 0);
}
