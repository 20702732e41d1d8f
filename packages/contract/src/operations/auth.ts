import { z } from 'zod';
import { Email, name, Ok, Password, SubmittedPassword } from '../common.js';
import { idOf } from '../ids.js';
import { frontend } from '../operation.js';
import { User } from '../users.js';
import { SecondFactorCode } from './mfa.js';
import { Session } from './sessions.js';

const tag = 'Auth';

/** A 6-digit email code (spaces are ignored). */
export const EmailCode = z
  .string()
  .transform((v) => v.replace(/\s+/g, ''))
  .pipe(z.string().regex(/^\d{6}$/, { error: 'must be the 6-digit code from the email' }));

/** A signed-in result: the session is in the `__session` cookie or the `Gatehouse-Session-Token` header. */
export const SignInComplete = z.object({ status: z.literal('complete'), user: User }).meta({ id: 'SignInComplete' });

/** The password was right and a second factor is needed: send it to `auth/second-factor` with `attemptId`. */
export const SignInNeedsSecondFactor = z
  .object({
    status: z.literal('needs_second_factor'),
    attemptId: z.string(),
    factors: z.array(z.enum(['totp', 'backup_code'])),
  })
  .meta({ id: 'SignInNeedsSecondFactor' });

/** What `auth/sign-in` (and the steps that finish a sign-in) answers. */
export const SignInResult = z.discriminatedUnion('status', [SignInComplete, SignInNeedsSecondFactor]).meta({ id: 'SignInResult' });

export const signUp = frontend({
  name: 'auth/sign-up',
  input: z.strictObject({ email: Email, password: Password, firstName: name().optional(), lastName: name().optional() }),
  output: z.object({ status: z.literal('needs_email_verification'), attemptId: z.string() }),
  auth: 'none',
  summary: 'Start a sign-up: mails a 6-digit code to the address',
  description:
    'No user exists until `auth/verify-email` proves the address. For an address that already has an account the answer is the same, and the email is a notice instead of a code. Rate limited per IP.',
  tag,
});

export const verifyEmail = frontend({
  name: 'auth/verify-email',
  input: z.strictObject({ attemptId: idOf('signInAttempt'), code: EmailCode }),
  output: SignInResult,
  auth: 'none',
  summary: 'Finish a sign-up with the emailed code: creates the user and signs in',
  description: 'The code lives 10 minutes, is single use and allows 5 wrong tries. Rate limited per attempt and per IP.',
  tag,
});

export const signIn = frontend({
  name: 'auth/sign-in',
  input: z.strictObject({ email: Email, password: SubmittedPassword }),
  output: SignInResult,
  auth: 'none',
  summary: 'Sign in with email and password',
  description:
    'A new session every time (cookie `__session`, or the `Gatehouse-Session-Token` response header when the request sent `Gatehouse-Token-Transport: header`). A wrong password, an unknown or unverified email all answer 401 `invalid_credentials`. Rate limited per account and per IP (429 `rate_limited` with `Retry-After`).',
  tag,
});

export const secondFactor = frontend({
  name: 'auth/second-factor',
  input: z.strictObject({ attemptId: idOf('signInAttempt'), code: SecondFactorCode }),
  output: SignInComplete,
  auth: 'none',
  summary: 'Finish a sign-in with a TOTP code or a backup code',
  description:
    'The attempt from `auth/sign-in` lives 5 minutes and dies after 5 wrong codes; a TOTP code is accepted once. Rate limited per attempt, per user and per IP. A wrong code answers 401 `invalid_credentials`.',
  tag,
});

export const signOut = frontend({
  name: 'auth/sign-out',
  input: z.strictObject({}),
  output: Ok,
  auth: 'none',
  summary: 'End the current session (its token gets 401 from the next request on)',
  tag,
});

export const requestPasswordReset = frontend({
  name: 'auth/password-reset/request',
  input: z.strictObject({ email: Email }),
  output: Ok,
  auth: 'none',
  summary: 'Mail a password-reset link',
  description: 'The same answer whether or not an account has this email. The link lives 1 hour. Rate limited per email and per IP.',
  tag,
});

export const completePasswordReset = frontend({
  name: 'auth/password-reset/complete',
  input: z.strictObject({ token: z.string().min(1).max(200), password: Password }),
  output: Ok,
  auth: 'none',
  summary: 'Set a new password with the emailed token',
  description: 'Ends every session of the user and does not sign in. The token is single use.',
  tag,
});

export const reauthenticate = frontend({
  name: 'auth/reauthenticate',
  input: z.union([z.strictObject({ password: SubmittedPassword }), z.strictObject({ code: SecondFactorCode })]),
  output: z.object({ ok: z.literal(true), reauthenticatedAt: z.iso.datetime() }),
  auth: 'user',
  summary: 'Confirm the password (or a second-factor code) again before a sensitive operation',
  description:
    'Sensitive operations (email changes, second factors) answer 403 `mfa_required` unless this was done in the last 10 minutes. `{ code }` takes a TOTP code or a backup code (which it uses up).',
  tag,
});

export const getSession = frontend({
  name: 'session/get',
  input: z.strictObject({}),
  output: z.object({ session: Session.nullable(), user: User.nullable() }),
  auth: 'none',
  summary: 'The current session and user, or both null when signed out',
  tag: 'Session',
});
