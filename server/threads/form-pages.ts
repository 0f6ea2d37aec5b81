import type { FastifyInstance, FastifyReply } from 'fastify';
import type { FieldErrors } from '../forms.js';
import type { MarkdownTooComplex } from '../markdown.js';
import { SENTIMENTS, SUPPORT_AREAS } from '../posts/vocabulary.js';
import { parseVendorList } from '../vendors/names.js';
import { BODY_RULE, MAX_VENDORS, TITLE_RULE } from './schemas.js';
import { listTierSuggestions } from './tiers.js';

// The pages that hold a post's form: a new or edited story, an edited reply. (The reply form
// under a story is part of the thread page.)

/** The form again, with the member's input, asking them to simplify the text. */
export function tooComplex(values: Record<string, string>, error: MarkdownTooComplex) {
  return { values, errors: { body: error.message } };
}

export interface StoryFormState {
  values: Record<string, string>;
  errors?: FieldErrors;
  preview?: string;
  /** The member's own anonymous story that a second one about the same vendor would repeat. */
  ownStory?: { id: number; slug: string; hidden: boolean } | null;
}

/** The story form, new or (with `edit`) for the story it changes. */
export async function renderStoryForm(
  app: FastifyInstance,
  reply: FastifyReply,
  state: StoryFormState,
  status = 200,
  edit?: { id: number; title: string },
) {
  const named = parseVendorList(state.values.vendors ?? '');
  const [vendorSuggestions, tierSuggestions] = edit
    ? [[], await listTierSuggestions(app.db)]
    : await Promise.all([app.vendorSuggestions(), listTierSuggestions(app.db, named)]);
  return reply.page(
    'threads/form',
    {
      title: edit ? 'Edit your story' : 'Share your experience',
      edit,
      values: state.values,
      errors: state.errors ?? {},
      hasErrors: Object.keys(state.errors ?? {}).length > 0,
      preview: state.preview,
      ownStory: state.ownStory ?? null,
      vendorSuggestions,
      tierSuggestions,
      sentiments: SENTIMENTS,
      areas: SUPPORT_AREAS,
      titleRule: TITLE_RULE,
      bodyRule: BODY_RULE,
      maxVendors: MAX_VENDORS,
    },
    status,
  );
}

export function renderReplyForm(
  reply: FastifyReply,
  id: number,
  values: Record<string, string>,
  errors: FieldErrors = {},
  status = 200,
) {
  return reply.page(
    'threads/edit-reply',
    { title: 'Edit your reply', id, values, errors, bodyRule: BODY_RULE },
    status,
  );
}
