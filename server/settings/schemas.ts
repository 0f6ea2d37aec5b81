import { Type } from '@sinclair/typebox';
import { FREQUENCIES } from '../email/addresses.js';

export const ADDRESS_MESSAGE =
  'Enter an email address like name@example.org (at most 254 characters), or leave it empty to remove yours.';

/** An address to set, or nothing to remove the one there is; checked once trimmed. */
export const EmailForm = Type.Object({
  email: Type.String({ maxLength: 300, errorMessage: ADDRESS_MESSAGE }),
});

export const FrequencyForm = Type.Object({
  frequency: Type.Union(
    FREQUENCIES.map((choice) => Type.Literal(choice.value)),
    { errorMessage: 'Choose how often to get mail: right away, daily, weekly or never.' },
  ),
});
