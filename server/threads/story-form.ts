import { checkForm, type FieldErrors } from '../forms.js';
import type { Sentiment, AreaRatings } from '../posts/vocabulary.js';
import { findHiddenCharacter, hiddenCharacterMessage } from '../security/lookalike.js';
import { parseVendorList, vendorMatchKey } from '../vendors/names.js';
import { SUPPORT_AREAS } from '../posts/vocabulary.js';
import { MAX_VENDORS, StoryForm } from './schemas.js';
import type { StoryInput } from './service.js';

export type StoryFormResult =
  | { ok: true; story: StoryInput; values: Record<string, string> }
  | { ok: false; errors: FieldErrors; values: Record<string, string> };

/** Checks the new-story (or edit) form; every problem is reported beside its field. */
export function parseStoryForm(body: unknown, { withVendors = true } = {}): StoryFormResult {
  const form = checkForm(StoryForm, withVendors ? body : { ...(body as object), vendors: '-' });
  const values = form.ok ? (form.values as Record<string, string>) : form.values;
  const errors: FieldErrors = form.ok ? {} : { ...form.errors };
  const vendorNames = withVendors ? parseVendorList(values.vendors ?? '') : [];
  if (withVendors && !errors.vendors) {
    const vendorError = hiddenInVendors(values.vendors ?? '') ?? checkVendorNames(vendorNames);
    if (vendorError) errors.vendors = vendorError;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors, values };

  const areas: AreaRatings = {};
  for (const area of SUPPORT_AREAS) {
    const rating = values[`area_${area.key}`];
    if (rating === 'good' || rating === 'bad') areas[area.key] = rating;
  }
  return {
    ok: true,
    values,
    story: {
      title: values.title!,
      body: values.body!,
      vendorNames,
      sentiment: values.sentiment as Sentiment,
      tier: values.tier?.trim() ? values.tier : null,
      anonymous: values.anonymous === 'on',
      areas,
    },
  };
}

/** Bidi controls and invisible characters would make one vendor's name look like another's. */
function hiddenInVendors(field: string): string | null {
  const hidden = findHiddenCharacter(field);
  return hidden ? hiddenCharacterMessage('A vendor name', hidden) : null;
}

function checkVendorNames(names: string[]): string | null {
  if (names.length === 0) return 'Name the vendor this story is about.';
  if (names.length > MAX_VENDORS) return `Tag at most ${MAX_VENDORS} vendors.`;
  for (const name of names) {
    if (name.length > 60)
      return `Vendor names are at most 60 characters ("${name.slice(0, 20)}…").`;
    if (!vendorMatchKey(name)) return `"${name}" is not a vendor name: use letters or digits.`;
    if (/[<>{}[\]"\\`]|\p{Cc}/u.test(name))
      return `"${name}" contains characters a vendor name cannot have.`;
  }
  return null;
}
