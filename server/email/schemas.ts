import { Type } from '@sinclair/typebox';

export const ForgotForm = Type.Object({
  login: Type.String({
    minLength: 1,
    maxLength: 254,
    // Something besides spaces: "   " names nobody and gets the form again, not "check your mail".
    pattern: '\\S',
    errorMessage: 'Enter your username or your email address.',
  }),
});

/** A link's token: what createToken or mailContext made, or a 404. */
export const TokenParams = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9._-]+$' }),
});
