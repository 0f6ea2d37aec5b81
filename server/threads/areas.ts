/** What a vendor owes a partner, in the order pages show them (DESIGN.md, "Support areas"). */
export const SUPPORT_AREAS = [
  { key: 'presales', label: 'Pre-sales support' },
  { key: 'beta', label: 'Beta programs' },
  { key: 'demos', label: 'Customer demos' },
  { key: 'discounts', label: 'Discounts and special bids' },
  { key: 'presentations', label: 'Product presentations' },
  { key: 'education', label: 'Education and training' },
  { key: 'events', label: 'Seminars and events' },
  { key: 'dealreg', label: 'Deal registration and channel conflict' },
  { key: 'mdf', label: 'Marketing funds' },
] as const;

export type AreaKey = (typeof SUPPORT_AREAS)[number]['key'];

export const AREA_LABELS: Record<string, string> = Object.fromEntries(
  SUPPORT_AREAS.map((area) => [area.key, area.label]),
);

export const SENTIMENTS = [
  { key: 'good', label: 'Good experience' },
  { key: 'mixed', label: 'Mixed experience' },
  { key: 'bad', label: 'Bad experience' },
] as const;
