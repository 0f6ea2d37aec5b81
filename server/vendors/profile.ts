import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, VendorCategory } from '../db/schema.js';
import { prepared } from '../db/prepared.js';
import type { FieldErrors } from '../forms.js';
import { SUPPORT_AREAS } from '../posts/vocabulary.js';
import type { Member } from '../security/member.js';
import { tidyName, tierMatchKey, vendorMatchKey } from './names.js';

// A vendor's profile (issue 14, "The program"): website, category, the partner program's name
// and its tiers in order, with what each tier promises in each support area. The rules of the
// edit form and the queries are here; the routes are in server/vendor-profiles/.

export const VENDOR_CATEGORIES = [
  { key: 'hardware', label: 'Hardware' },
  { key: 'software', label: 'Software' },
  { key: 'cloud', label: 'Cloud' },
  { key: 'security', label: 'Security' },
  { key: 'networking', label: 'Networking' },
  { key: 'services', label: 'Services' },
  { key: 'other', label: 'Other' },
] as const satisfies readonly { key: VendorCategory; label: string }[];

const CATEGORY_LABELS: Record<string, string> = Object.fromEntries(
  VENDOR_CATEGORIES.map((category) => [category.key, category.label]),
);

/** What a tier says about a support area; an area it says nothing about is unknown. */
export type TierPromise = 'promised' | 'not-promised';
export const TIER_PROMISES = [
  { key: '', label: 'Unknown' },
  { key: 'promised', label: 'Promised' },
  { key: 'not-promised', label: 'Not promised' },
] as const;

export const PROFILE_LIMITS = { website: 300, programName: 80, tierLabel: 40, note: 500 };
/** Tiers a program may have (Registered < Silver < Gold < Platinum is four). */
export const MAX_TIERS = 8;
/** Empty rows the form offers below the tiers, to add some. */
const EMPTY_ROWS = 2;

export interface ProfileTier {
  label: string;
  promises: Partial<Record<string, TierPromise>>;
}

/** A profile as edited and as kept in a revision. */
export interface ProfileData {
  website: string | null;
  category: VendorCategory | null;
  programName: string | null;
  tiers: ProfileTier[];
}

/** A profile as the vendor page's partial shows it. */
export interface VendorProfile extends ProfileData {
  categoryLabel: string | null;
  tiers: Array<ProfileTier & { key: string; promised: string[]; notPromised: string[] }>;
  updatedAt: Date | null;
  /** Nothing recorded yet. */
  empty: boolean;
}

/** Moderators and admins, and the vendor's own representatives, edit its profile. */
export function mayEditVendorProfile(member: Member | null, vendorId: number): boolean {
  if (!member) return false;
  return member.role !== 'member' || member.represents?.id === vendorId;
}

const TRAILING_WORD = /[^\p{L}\p{N}]+(?:partner|tier)s?[^\p{L}\p{N}]*$/iu;

/**
 * The key a story's tier is matched to a vendor's tiers by: the tier's key (tierMatchKey) once
 * one trailing word "partner" or "tier" is dropped, so "gold", "GOLD partner" and "Gold tier"
 * all match a vendor's "Gold Partner", and "Gold Plus" does not match "Gold". A label that is
 * nothing but such a word ("Partner") keeps it.
 */
export function tierCoreKey(label: string): string {
  const tidy = tidyName(label);
  return tierMatchKey(tidy.replace(TRAILING_WORD, '')) || tierMatchKey(tidy);
}

// ---------------------------------------------------------------------------------------------
// Reading

interface StoredTier {
  label: string;
  key: string;
  promises: Record<string, boolean>;
}

/** The vendor's profile with its tiers in order and their promises, in one query. */
export async function findVendorProfile(db: Kysely<DB>, vendorId: number): Promise<VendorProfile> {
  const [row] = await profileQuery(db, { vendorId });
  const tiers = (row?.tiers ?? []).map((tier) => tierView(tier));
  const category = row?.category ?? null;
  return {
    website: row?.website ?? null,
    category,
    categoryLabel: category ? (CATEGORY_LABELS[category] ?? category) : null,
    programName: row?.program_name ?? null,
    tiers,
    updatedAt: row?.updated_at ?? null,
    empty: !row?.website && !category && !row?.program_name && tiers.length === 0,
  };
}

/** Read for every view of a vendor page: built once. */
const profileQuery = prepared((db, values: { vendorId: number }) =>
  db
    .selectFrom('vendors')
    .leftJoin('vendor_profiles', 'vendor_profiles.vendor_id', 'vendors.id')
    .select([
      'vendor_profiles.website',
      'vendor_profiles.category',
      'vendor_profiles.program_name',
      'vendor_profiles.updated_at',
      sql<StoredTier[]>`coalesce((
        select json_agg(json_build_object('label', t.label, 'key', t.tier_key, 'promises',
          coalesce((select json_object_agg(p.area, p.promised) from vendor_tier_promises p
                    where p.vendor_id = t.vendor_id and p.tier_key = t.tier_key), '{}'::json))
          order by t.position)
        from vendor_tiers t where t.vendor_id = vendors.id), '[]'::json)`.as('tiers'),
    ])
    .where('vendors.id', '=', values.vendorId),
);

function tierView(tier: StoredTier) {
  const promises: Partial<Record<string, TierPromise>> = {};
  const promised: string[] = [];
  const notPromised: string[] = [];
  for (const { key, label } of SUPPORT_AREAS) {
    const value = tier.promises[key];
    if (value === undefined || value === null) continue;
    promises[key] = value ? 'promised' : 'not-promised';
    (value ? promised : notPromised).push(label);
  }
  return { label: tier.label, key: tier.key, promises, promised, notPromised };
}

/** Only what an edit changes and a revision keeps. */
export function profileData(profile: ProfileData): ProfileData {
  return {
    website: profile.website,
    category: profile.category,
    programName: profile.programName,
    tiers: profile.tiers.map(({ label, promises }) => ({ label, promises: { ...promises } })),
  };
}

// ---------------------------------------------------------------------------------------------
// The edit form: fields website, category, program, note, and per row i (1…MAX_TIERS)
// tier_i_name, tier_i_order and tier_i_<area> ('', 'promised' or 'not-promised').

export const tierField = (row: number, part: string) => `tier_${row}_${part}`;

/** The form's fields for a profile as it stands. */
export function profileFormValues(profile: ProfileData): Record<string, string> {
  const values: Record<string, string> = {
    website: profile.website ?? '',
    category: profile.category ?? '',
    program: profile.programName ?? '',
  };
  profile.tiers.forEach((tier, index) => {
    values[tierField(index + 1, 'name')] = tier.label;
    values[tierField(index + 1, 'order')] = String(index + 1);
    for (const [area, promise] of Object.entries(tier.promises))
      if (promise) values[tierField(index + 1, area)] = promise;
  });
  return values;
}

/** How many tier rows the form shows: every filled one, and a few empty ones to add tiers. */
export function tierRowCount(values: Record<string, string>): number {
  let last = 0;
  for (let row = 1; row <= MAX_TIERS; row++) {
    const filled = Object.entries(values).some(
      ([name, value]) => name.startsWith(`tier_${row}_`) && value.trim() !== '',
    );
    if (filled) last = row;
  }
  return Math.min(MAX_TIERS, Math.max(last + EMPTY_ROWS, 4));
}

export type ProfileForm =
  { ok: true; profile: ProfileData; note: string | null } | { ok: false; errors: FieldErrors };

/** The form's fields as a profile, or a message per field that does not fit. */
export function readProfileForm(fields: Record<string, string>): ProfileForm {
  const errors: FieldErrors = {};
  const website = readWebsite(fields.website ?? '', errors);
  const category = (fields.category ?? '').trim();
  if (category && !Object.hasOwn(CATEGORY_LABELS, category))
    errors.category = `Choose one of: ${VENDOR_CATEGORIES.map((c) => c.label).join(', ')}.`;
  const programName = tidyName(fields.program ?? '');
  if (programName.length > PROFILE_LIMITS.programName)
    errors.program = `Keep the program's name to ${PROFILE_LIMITS.programName} characters.`;
  const note = (fields.note ?? '').trim();
  if (note.length > PROFILE_LIMITS.note)
    errors.note = `Keep the note to ${PROFILE_LIMITS.note} characters.`;
  const tiers = readTiers(fields, errors);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    profile: {
      website,
      category: (category || null) as VendorCategory | null,
      programName: programName || null,
      tiers,
    },
    note: note || null,
  };
}

/** An http or https address, as the browser would read it; anything else is refused. */
function readWebsite(raw: string, errors: FieldErrors): string | null {
  const text = raw.trim();
  if (text === '') return null;
  const refuse = (message: string) => {
    errors.website = message;
    return null;
  };
  if (text.length > PROFILE_LIMITS.website)
    return refuse(`Keep the web address to ${PROFILE_LIMITS.website} characters.`);
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/.test(text)) return refuse('A web address has no spaces in it.');
  if (!/^https?:\/\//i.test(text))
    return refuse('Give the website as a web address starting with https:// (or http://).');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return refuse('This is not a web address we can link to, like https://example.com.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return refuse('Give the website as a web address starting with https:// (or http://).');
  if (url.username || url.password)
    return refuse('Give the address without a user name or password in it.');
  if (!url.hostname.includes('.'))
    return refuse('Give the full address of the website, like https://example.com.');
  return url.href;
}

interface TierRow {
  row: number;
  order: number;
  tier: ProfileTier;
  core: string;
}

/** The filled rows as tiers, lowest first: by their order field, then as the rows stand. */
function readTiers(fields: Record<string, string>, errors: FieldErrors): ProfileTier[] {
  const rows: TierRow[] = [];
  for (let row = 1; row <= MAX_TIERS; row++) {
    const label = tidyName(fields[tierField(row, 'name')] ?? '');
    const orderText = (fields[tierField(row, 'order')] ?? '').trim();
    const promises = readPromises(fields, row, errors);
    if (label === '') continue; // an emptied row removes its tier
    const nameField = tierField(row, 'name');
    if (label.length > PROFILE_LIMITS.tierLabel)
      errors[nameField] = `Keep a tier's name to ${PROFILE_LIMITS.tierLabel} characters.`;
    else if (!tierMatchKey(label)) errors[nameField] = "A tier's name needs a letter or a digit.";
    let order = row;
    if (orderText !== '') {
      if (/^\d{1,2}$/.test(orderText) && Number(orderText) >= 1) order = Number(orderText);
      else errors[tierField(row, 'order')] = 'Give the place as a whole number from 1 to 99.';
    }
    rows.push({ row, order, tier: { label, promises }, core: tierCoreKey(label) });
  }
  for (const [index, entry] of rows.entries()) {
    const twin = rows.slice(0, index).find((other) => other.core === entry.core);
    const field = tierField(entry.row, 'name');
    if (twin && !errors[field])
      errors[field] =
        `"${entry.tier.label}" and "${twin.tier.label}" name one tier (a trailing "partner" or ` +
        '"tier" does not count): give each tier a name of its own.';
  }
  rows.sort((a, b) => a.order - b.order || a.row - b.row);
  return rows.map((entry) => entry.tier);
}

function readPromises(fields: Record<string, string>, row: number, errors: FieldErrors) {
  const promises: Partial<Record<string, TierPromise>> = {};
  for (const { key } of SUPPORT_AREAS) {
    const value = (fields[tierField(row, key)] ?? '').trim();
    if (value === 'promised' || value === 'not-promised') promises[key] = value;
    else if (value !== '')
      errors[tierField(row, key)] = 'Choose promised, not promised or unknown.';
  }
  return promises;
}

// ---------------------------------------------------------------------------------------------
// Saving

export interface ProfileEditor {
  username: string;
  /** The editor represents this vendor (their edit is marked as the representative's). */
  asRepresentative: boolean;
}

/**
 * Replaces the vendor's profile inside the caller's transaction, keeping the previous one as a
 * revision. Returns what changed in a few words, or null when nothing did (nothing is written).
 */
export async function saveVendorProfile(
  trx: Transaction<DB>,
  vendorId: number,
  next: ProfileData,
  editor: ProfileEditor,
): Promise<string | null> {
  // One edit of a vendor's profile at a time: the second reads what the first wrote.
  await trx.selectFrom('vendors').select('id').where('id', '=', vendorId).forUpdate().execute();
  const previous = profileData(await findVendorProfile(trx, vendorId));
  const summary = describeChanges(previous, next);
  if (summary === null) return null;
  await trx
    .insertInto('vendor_profile_revisions')
    .values({
      vendor_id: vendorId,
      editor: editor.username,
      as_representative: editor.asRepresentative,
      profile: JSON.stringify(previous),
    })
    .execute();
  const profile = {
    website: next.website,
    category: next.category,
    program_name: next.programName,
    updated_at: sql<Date>`now()`,
  };
  await trx
    .insertInto('vendor_profiles')
    .values({ vendor_id: vendorId, ...profile })
    .onConflict((oc) => oc.column('vendor_id').doUpdateSet(profile))
    .execute();
  await replaceTiers(trx, vendorId, next.tiers);
  return summary;
}

async function replaceTiers(trx: Transaction<DB>, vendorId: number, tiers: ProfileTier[]) {
  await trx.deleteFrom('vendor_tiers').where('vendor_id', '=', vendorId).execute();
  if (tiers.length === 0) return;
  const rows = tiers.map((tier, index) => ({
    vendor_id: vendorId,
    tier_key: tierMatchKey(tier.label),
    match_key: tierCoreKey(tier.label),
    position: index + 1,
    label: tier.label,
  }));
  await trx.insertInto('vendor_tiers').values(rows).execute();
  const promises = tiers.flatMap((tier) =>
    Object.entries(tier.promises).flatMap(([area, promise]) =>
      promise
        ? [
            {
              vendor_id: vendorId,
              tier_key: tierMatchKey(tier.label),
              area,
              promised: promise === 'promised',
            },
          ]
        : [],
    ),
  );
  if (promises.length > 0) await trx.insertInto('vendor_tier_promises').values(promises).execute();
}

/** "website, category; tiers: Platinum added, Bronze removed, order changed", or null. */
export function describeChanges(before: ProfileData, after: ProfileData): string | null {
  const parts: string[] = [];
  if (before.website !== after.website) parts.push('website');
  if (before.category !== after.category) parts.push('category');
  if (before.programName !== after.programName) parts.push('program name');
  const tiers = describeTierChanges(before.tiers, after.tiers);
  if (tiers.length > 0) parts.push(`tiers: ${tiers.join(', ')}`);
  if (parts.length === 0) return null;
  const summary = parts.join('; ');
  return summary.length > 400 ? `${summary.slice(0, 399)}…` : summary;
}

function describeTierChanges(before: ProfileTier[], after: ProfileTier[]): string[] {
  const keyed = (tiers: ProfileTier[]) =>
    new Map(tiers.map((tier) => [tierMatchKey(tier.label), tier]));
  const old = keyed(before);
  const now = keyed(after);
  const changes: string[] = [];
  for (const [key, tier] of now) {
    const was = old.get(key);
    if (!was) changes.push(`${tier.label} added`);
    else if (was.label !== tier.label) changes.push(`${was.label} renamed ${tier.label}`);
    if (was && !samePromises(was.promises, tier.promises))
      changes.push(`${tier.label}'s promises changed`);
  }
  for (const [key, tier] of old) if (!now.has(key)) changes.push(`${tier.label} removed`);
  const kept = (tiers: ProfileTier[], other: Map<string, ProfileTier>) =>
    tiers.map((tier) => tierMatchKey(tier.label)).filter((key) => other.has(key));
  if (kept(before, now).join('\n') !== kept(after, old).join('\n')) changes.push('order changed');
  return changes;
}

function samePromises(a: ProfileTier['promises'], b: ProfileTier['promises']) {
  return SUPPORT_AREAS.every(({ key }) => (a[key] ?? null) === (b[key] ?? null));
}

/** Who changed the profile and when, newest first (each revision keeps the profile before). */
export function listProfileRevisions(db: Kysely<DB>, vendorId: number, limit = 10) {
  return db
    .selectFrom('vendor_profile_revisions')
    .select(['editor', 'as_representative', 'created_at'])
    .where('vendor_id', '=', vendorId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Stories' tiers

/**
 * The vendor tier a story's tier names, if one of the story's vendors (taken in the story's
 * order) has a tier with the same core key (tierCoreKey); else undefined.
 */
export async function findMatchingVendorTier(
  db: Kysely<DB>,
  vendorIds: readonly number[],
  tier: string,
): Promise<{ key: string; label: string } | undefined> {
  const core = tierCoreKey(tier);
  if (vendorIds.length === 0 || !core) return undefined;
  const rows = await db
    .selectFrom('vendor_tiers')
    .select(['vendor_id', 'tier_key', 'label'])
    .where('vendor_id', 'in', [...vendorIds])
    .where('match_key', '=', core)
    .execute();
  for (const vendorId of vendorIds) {
    const row = rows.find((candidate) => candidate.vendor_id === vendorId);
    if (row) return { key: row.tier_key, label: row.label };
  }
  return undefined;
}

/** The tiers of the named vendors (found by any of their names), lowest first, for suggestions. */
export async function listVendorTierLabels(
  db: Kysely<DB>,
  vendorNames: readonly string[],
): Promise<string[]> {
  const keys = [...new Set(vendorNames.map((name) => vendorMatchKey(name)).filter(Boolean))];
  if (keys.length === 0) return [];
  const rows = await db
    .selectFrom('vendor_names')
    .innerJoin('vendor_tiers', 'vendor_tiers.vendor_id', 'vendor_names.vendor_id')
    .select(['vendor_tiers.label', 'vendor_names.match_key', 'vendor_tiers.position'])
    .where('vendor_names.match_key', 'in', keys)
    .execute();
  rows.sort(
    (a, b) => keys.indexOf(a.match_key) - keys.indexOf(b.match_key) || a.position - b.position,
  );
  return rows.map((row) => row.label);
}
