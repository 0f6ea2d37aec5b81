// Formatting helpers handed to every template (as `it.fmt`), so templates stay free of logic.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * "just now", "5 minutes ago", "3 days ago", "4 months ago", "2 years ago": the one way pages
 * say when (the partial views/partials/time.eta puts the exact time in its title).
 */
export function timeAgo(date: Date, now = Date.now()): string {
  const elapsed = now - date.getTime();
  if (elapsed < MINUTE) return 'just now';
  if (elapsed < HOUR) return plural(Math.floor(elapsed / MINUTE), 'minute') + ' ago';
  if (elapsed < DAY) return plural(Math.floor(elapsed / HOUR), 'hour') + ' ago';
  if (elapsed < 30 * DAY) return plural(Math.floor(elapsed / DAY), 'day') + ' ago';
  if (elapsed < 365 * DAY) return plural(Math.floor(elapsed / (30 * DAY)), 'month') + ' ago';
  return plural(Math.floor(elapsed / (365 * DAY)), 'year') + ' ago';
}

/**
 * An anonymous post's time, told the same relative way but never finer than its hour: "within
 * the hour", "3 hours ago", "2 days ago". `hour` is the start of the hour it was posted in.
 */
export function hoursAgo(hour: Date, now = Date.now()): string {
  const elapsed = now - hour.getTime();
  if (elapsed < HOUR) return 'within the hour';
  return timeAgo(hour, now);
}

/** Exact time, to the minute, in UTC. */
export function dateTime(date: Date): string {
  return date.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

/** The start of the hour `date` falls in: all an anonymous post's time may tell. */
export function hourStart(date: Date): Date {
  return new Date(Math.floor(date.getTime() / HOUR) * HOUR);
}

/** An anonymous post's time: the hour only. */
export function hourOnly(date: Date): string {
  return date.toISOString().slice(0, 13).replace('T', ' ') + ':00 UTC';
}

export function isoDate(date: Date): string {
  return date.toISOString();
}

export function plural(count: number, word: string, words = `${word}s`): string {
  return `${count} ${count === 1 ? word : words}`;
}

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&#x27;': "'",
  '&nbsp;': ' ',
};

/**
 * Plain text from a post's formatted HTML (ours, sanitized), cut at a word within `max`
 * characters with an ellipsis: for excerpts and meta descriptions. The template escapes it.
 */
export function excerpt(html: string, max = 200): string {
  const text = html
    // List items stay apart ("Customer: a school · Deal: an upgrade"), not run together.
    .replace(/<li[^>]*>/g, ' · ')
    .replace(/<\/(p|li|h[1-6]|blockquote|pre|tr)>/g, ' ')
    .replace(/<br\s*\/?>/g, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|#39|#x27|nbsp);/g, (entity) => ENTITIES[entity] ?? entity)
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^· /, '');
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s.,;:!?-]+$/, '')}…`;
}

export const fmt = { timeAgo, hoursAgo, hourStart, dateTime, hourOnly, isoDate, plural, excerpt };
