/** The lengths a moderator can choose, by the form value that names them. */
export const SUSPENSIONS: Record<string, { days: number | null; label: string }> = {
  '1': { days: 1, label: '1 day' },
  '7': { days: 7, label: '7 days' },
  '30': { days: 30, label: '30 days' },
  permanent: { days: null, label: 'permanently' },
};

const FOREVER = new Date('9999-12-31T00:00:00Z');
const HOUR = 3_600_000;

/**
 * When a suspension of `days` (null: permanent) starting now ends, rounded up to the hour so the
 * row matches no moderation log entry more closely than by the hour.
 */
export function suspensionEnd(days: number | null, now = Date.now()): Date {
  if (days === null) return FOREVER;
  return new Date(Math.ceil((now + days * 86_400_000) / HOUR) * HOUR);
}

export function isPermanent(until: Date) {
  return until.getUTCFullYear() >= 9999;
}

/** "until 2026-12-09 14:00 UTC" or "permanently": how a suspension's end reads to its member. */
export function describeSuspension(until: Date): string {
  return isPermanent(until)
    ? 'permanently'
    : `until ${until.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
