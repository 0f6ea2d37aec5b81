import type { FastifyRequest } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { stringFields, type FieldErrors } from '../forms.js';
import { formResult } from '../plugins/validation.js';
import { SUPPORT_AREAS, type AreaRatings } from '../posts/vocabulary.js';
import { findHiddenCharacter, hiddenCharacterMessage } from '../security/lookalike.js';
import { parseVendorList, vendorMatchKey } from '../vendors/names.js';
import { MAX_VENDORS, type StoryEditForm, type StoryForm } from './schemas.js';
import type { StoryEdit, StoryInput } from './stories.js';

/** The story, or every problem beside its field; either way the member's input as typed. */
export type StoryFormResult<Story> =
  | { ok: true; story: Story; values: Record<string, string> }
  | { ok: false; errors: FieldErrors; values: Record<string, string> };

/** A new story: the route's schema checks the fields, this the vendor names in their list. */
export function readStoryForm(
  request: FastifyRequest & { body: Static<typeof StoryForm> },
): StoryFormResult<StoryInput> {
  const form = formResult<typeof StoryForm>(request);
  const values = stringFields(request.body);
  const errors: FieldErrors = form.ok ? {} : { ...form.errors };
  const vendorNames = parseVendorList(values.vendors ?? '');
  if (!errors.vendors) {
    const vendorError = hiddenInVendors(values.vendors ?? '') ?? checkVendorNames(vendorNames);
    if (vendorError) errors.vendors = vendorError;
  }
  if (!form.ok || Object.keys(errors).length > 0) return { ok: false, errors, values };
  const story = { ...storyOf(form.values), vendorNames, anonymous: form.values.anonymous === 'on' };
  return { ok: true, values, story };
}

/** An edit of a story: its vendors stay as they are. */
export function readStoryEdit(
  request: FastifyRequest & { body: Static<typeof StoryEditForm> },
): StoryFormResult<StoryEdit> {
  const form = formResult<typeof StoryEditForm>(request);
  if (!form.ok) return form;
  return { ok: true, values: stringFields(request.body), story: storyOf(form.values) };
}

function storyOf(values: Static<typeof StoryEditForm>): StoryEdit {
  const areas: AreaRatings = {};
  for (const area of SUPPORT_AREAS) {
    const rating = values[`area_${area.key}`];
    if (rating) areas[area.key] = rating;
  }
  return {
    title: values.title,
    body: values.body,
    sentiment: values.sentiment,
    tier: values.tier?.trim() ? values.tier : null,
    areas,
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
