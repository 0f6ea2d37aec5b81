import { Type } from '@sinclair/typebox';
import { SUPPORT_AREAS, type AreaKey } from '../posts/vocabulary.js';
import { Id } from '../schemas.js';

// The threads folder's forms and addresses, as its routes declare them.

export const TITLE_RULE = '5–150 characters';
export const BODY_RULE = 'up to 20,000 characters';
export const MAX_VENDORS = 5;

/** `/threads/:id` and `/threads/:id/:slug`: a slug that is not the story's own redirects. */
export const ThreadParams = Type.Object({ id: Id, slug: Type.Optional(Type.String()) });

/** `/threads/new?vendor=slug` fills in the vendor (a story asked for from a vendor's page). */
export const NewStoryQuery = Type.Object({
  vendor: Type.Optional(Type.String({ maxLength: 200 })),
});

const AreaRatingField = Type.Optional(
  Type.Union([Type.Literal(''), Type.Literal('good'), Type.Literal('bad')], {
    errorMessage: 'Rate an area good or bad, or leave it out.',
  }),
);
type AreaFields = { [K in AreaKey as `area_${K}`]: typeof AreaRatingField };
/** One optional field per support area, `area_presales` and so on. */
const areaFields = Object.fromEntries(
  SUPPORT_AREAS.map((area) => [`area_${area.key}`, AreaRatingField]),
) as AreaFields; // built from the list, typed by the same list

const anonymous = Type.Optional(Type.Literal('on', { errorMessage: 'Tick the box or leave it.' }));

/** What a story's author may change: everything but its vendors. */
const storyFields = {
  title: Type.String({
    minLength: 5,
    maxLength: 150,
    pattern: '\\S',
    errorMessage: `Give your story a title of ${TITLE_RULE}.`,
  }),
  body: Type.String({
    minLength: 1,
    maxLength: 20_000,
    pattern: '\\S',
    errorMessage: `Write your story (Markdown, ${BODY_RULE}).`,
  }),
  sentiment: Type.Union([Type.Literal('good'), Type.Literal('mixed'), Type.Literal('bad')], {
    errorMessage: 'Say how it went overall: good, mixed or bad.',
  }),
  tier: Type.Optional(
    Type.String({ maxLength: 40, errorMessage: 'Keep the partner tier to 40 characters.' }),
  ),
  anonymous,
  /** The button pressed: "preview" shows the text formatted; anything else saves. */
  action: Type.Optional(Type.String({ maxLength: 20 })),
  ...areaFields,
};

/** An edit of a story. */
export const StoryEditForm = Type.Object(storyFields);

/** A new story. `vendors` is a list in one field: story-form.ts checks the names in it. */
export const StoryForm = Type.Object({
  ...storyFields,
  vendors: Type.String({ errorMessage: 'Name the vendor (or up to five, separated by commas).' }),
});

export const ReplyForm = Type.Object({
  body: Type.String({
    minLength: 1,
    maxLength: 20_000,
    pattern: '\\S',
    errorMessage: `Write your reply (Markdown, ${BODY_RULE}).`,
  }),
  anonymous,
});

/** A vendor's official response: always under the representative's name, never anonymous. */
export const ResponseForm = Type.Object({
  body: Type.String({
    minLength: 1,
    maxLength: 20_000,
    pattern: '\\S',
    errorMessage: `Write the vendor's response (Markdown, ${BODY_RULE}).`,
  }),
});

/** The story's author on the vendor's answer; "open" takes a mark back. */
export const ResolutionForm = Type.Object({
  resolution: Type.Union(
    [Type.Literal('resolved'), Type.Literal('not-resolved'), Type.Literal('open')],
    { errorMessage: 'Say "resolved", "not-resolved" or "open".' },
  ),
});
