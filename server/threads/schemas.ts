import { Type } from '@sinclair/typebox';
import { SUPPORT_AREAS } from '../posts/vocabulary.js';

export const TITLE_RULE = '5–150 characters';
export const BODY_RULE = 'up to 20,000 characters';
export const MAX_VENDORS = 5;

const body = Type.String({
  minLength: 1,
  maxLength: 20_000,
  pattern: '\\S',
  errorMessage: `Write your story (Markdown, ${BODY_RULE}).`,
});

const areaFields = Object.fromEntries(
  SUPPORT_AREAS.map((area) => [
    `area_${area.key}`,
    Type.Optional(
      Type.Union([Type.Literal(''), Type.Literal('good'), Type.Literal('bad')], {
        errorMessage: 'Rate an area good or bad, or leave it out.',
      }),
    ),
  ]),
);

/** A story as posted or edited. `vendors` is checked separately (it is a list in one field). */
export const StoryForm = Type.Object({
  title: Type.String({
    minLength: 5,
    maxLength: 150,
    pattern: '\\S',
    errorMessage: `Give your story a title of ${TITLE_RULE}.`,
  }),
  body,
  vendors: Type.String({ errorMessage: 'Name the vendor (or up to five, separated by commas).' }),
  sentiment: Type.Union([Type.Literal('good'), Type.Literal('mixed'), Type.Literal('bad')], {
    errorMessage: 'Say how it went overall: good, mixed or bad.',
  }),
  tier: Type.Optional(
    Type.String({ maxLength: 40, errorMessage: 'Keep the partner tier to 40 characters.' }),
  ),
  anonymous: Type.Optional(Type.Literal('on', { errorMessage: 'Tick the box or leave it.' })),
  ...areaFields,
});

export const ReplyForm = Type.Object({
  body: Type.String({
    minLength: 1,
    maxLength: 20_000,
    pattern: '\\S',
    errorMessage: `Write your reply (Markdown, ${BODY_RULE}).`,
  }),
  anonymous: Type.Optional(Type.Literal('on', { errorMessage: 'Tick the box or leave it.' })),
});
