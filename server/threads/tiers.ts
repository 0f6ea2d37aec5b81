import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { tidyName, tierMatchKey } from '../vendors/names.js';

// Partner tiers ("Gold", "Silver partner"…): free text, one label per tier however it is typed,
// and the labels most used offered as suggestions on the story form.

/** "gold ", "GOLD" and "Gold" are one tier, shown as first written. Records the use. */
export async function normalizeTier(trx: Transaction<DB>, tier: string | null) {
  const tidy = tier ? tidyName(tier) : '';
  const key = tierMatchKey(tidy);
  if (!key) return null;
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

export function listTierSuggestions(db: Kysely<DB>, limit = 50) {
  return db
    .selectFrom('partner_tiers')
    .select('label')
    .orderBy('uses', 'desc')
    .orderBy('label')
    .limit(limit)
    .execute();
}
