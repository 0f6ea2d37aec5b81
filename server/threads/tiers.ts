import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { tidyName, tierMatchKey } from '../vendors/names.js';
import { findMatchingVendorTier, listVendorTierLabels } from '../vendors/profile.js';

// Partner tiers ("Gold", "Silver partner"…): free text, one label per tier however it is typed,
// and the labels most used offered as suggestions on the story form. Where one of the story's
// vendors has defined its tiers (its profile), a tier that names one of them is stored under
// that tier's label and key (server/vendors/profile.ts, tierCoreKey: "gold" and "Gold tier"
// are a vendor's "Gold Partner"); any other text stays free.

/**
 * "gold ", "GOLD" and "Gold" are one tier, shown as first written, or as the story's vendors
 * (ids in the story's order) name it. Records the use.
 */
export async function normalizeTier(
  trx: Transaction<DB>,
  tier: string | null,
  vendorIds: readonly number[] = [],
) {
  const tidy = tier ? tidyName(tier) : '';
  if (!tierMatchKey(tidy)) return null;
  const vendorTier = await findMatchingVendorTier(trx, vendorIds, tidy);
  if (vendorTier) {
    await recordTierUse(trx, vendorTier.key, vendorTier.label);
    return vendorTier;
  }
  const key = tierMatchKey(tidy);
  const known = await findTierLabel(trx, key);
  const label =
    known?.label ??
    tidy.replace(
      /(^|\s)(\p{Ll})/gu,
      (_m, space: string, letter: string) => space + letter.toUpperCase(),
    );
  await recordTierUse(trx, key, label);
  return { key, label };
}

function findTierLabel(trx: Transaction<DB>, tierKey: string) {
  return trx
    .selectFrom('partner_tiers')
    .select('label')
    .where('tier_key', '=', tierKey)
    .executeTakeFirst();
}

async function recordTierUse(trx: Transaction<DB>, tierKey: string, label: string) {
  await trx
    .insertInto('partner_tiers')
    .values({ tier_key: tierKey, label, uses: 1 })
    .onConflict((oc) =>
      oc.column('tier_key').doUpdateSet((eb) => ({ uses: eb('partner_tiers.uses', '+', 1) })),
    )
    .execute();
}

/** The vendors' own tiers first (of the vendors named, if any), then the labels most used. */
export async function listTierSuggestions(
  db: Kysely<DB>,
  vendorNames: readonly string[] = [],
  limit = 50,
) {
  const [own, used] = await Promise.all([
    listVendorTierLabels(db, vendorNames),
    db
      .selectFrom('partner_tiers')
      .select('label')
      .orderBy('uses', 'desc')
      .orderBy('label')
      .limit(limit)
      .execute(),
  ]);
  const seen = new Set<string>();
  return [...own, ...used.map((row) => row.label)].filter((label) => {
    const key = tierMatchKey(label);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The vendors of a story, in its order. */
export async function listStoryVendorIds(trx: Transaction<DB>, threadId: number) {
  const rows = await trx
    .selectFrom('thread_vendors')
    .select('vendor_id')
    .where('thread_id', '=', threadId)
    .orderBy('position')
    .execute();
  return rows.map((row) => row.vendor_id);
}
