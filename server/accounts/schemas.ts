import { Type } from '@sinclair/typebox';

export const USERNAME_RULE = '3–32 characters: letters, digits, _ and -';
export const PASSWORD_RULE = '10–256 characters';

// Letters of any script (with their combining marks), digits, _ and -; at least one letter or
// digit. TypeBox compiles `pattern` without the u flag, so this is a RegExp schema.
const username = Type.RegExp(/^(?=.*[\p{L}\p{N}])[\p{L}\p{M}\p{N}_-]+$/u, {
  minLength: 3,
  maxLength: 32,
  errorMessage: `Choose a username of ${USERNAME_RULE}.`,
});

const password = Type.String({
  minLength: 10,
  maxLength: 256,
  errorMessage: `Choose a password of ${PASSWORD_RULE}.`,
});

export const RegisterForm = Type.Object({ username, password });

/** A new password from a reset link (server/email/): the rule of registration. */
export const ResetPasswordForm = Type.Object({ password });

export const LoginForm = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64, errorMessage: 'Enter your username.' }),
  password: Type.String({ minLength: 1, maxLength: 256, errorMessage: 'Enter your password.' }),
});

/** Both fields may be left out: an absent one is saved empty. */
export const ProfileForm = Type.Object({
  company: Type.Optional(
    Type.String({ maxLength: 100, errorMessage: 'Keep the company name to 100 characters.' }),
  ),
  bio: Type.Optional(
    Type.String({ maxLength: 1000, errorMessage: 'Keep the bio to 1,000 characters.' }),
  ),
});

export const PasswordForm = Type.Object({
  current_password: Type.String({
    minLength: 1,
    maxLength: 256,
    errorMessage: 'Enter your current password.',
  }),
  new_password: password,
});

export const DeleteAccountForm = Type.Object({
  confirm_username: Type.String({
    minLength: 1,
    maxLength: 64,
    errorMessage: 'Type your username to confirm.',
  }),
  password: Type.String({ minLength: 1, maxLength: 256, errorMessage: 'Enter your password.' }),
});
