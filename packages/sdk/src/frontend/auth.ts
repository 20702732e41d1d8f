import * as ops from '@gatehouse/contract';
import type { z } from 'zod';
import type { FrontendCaller } from './index.js';

type Input<Op extends ops.FrontendOperation> = z.input<Op['input']>;

/** `auth.*` of the frontend client: sign-up, sign-in, sign-out, password reset, re-authentication. */
export function authApi(call: FrontendCaller) {
  return {
    /** Start a sign-up; a 6-digit code is mailed. Answers `{ status: 'needs_email_verification', attemptId }`. */
    signUp: (input: Input<typeof ops.signUp>) => call(ops.signUp, input),
    /** Finish a sign-up with the emailed code: creates the user and signs in. */
    verifyEmail: (input: Input<typeof ops.verifyEmail>) => call(ops.verifyEmail, input),
    /** Sign in; `status` is `complete` (with `user`) or `needs_second_factor`. 401 `invalid_credentials` on a bad email or password. */
    signIn: (input: Input<typeof ops.signIn>) => call(ops.signIn, input),
    /** Finish a `needs_second_factor` sign-in with a TOTP code or a backup code (401 `invalid_credentials` when wrong). */
    secondFactor: (input: Input<typeof ops.secondFactor>) => call(ops.secondFactor, input),
    /** End the current session. */
    signOut: () => call(ops.signOut, {}),
    /** Mail a password-reset link (the same answer whether or not the email has an account). */
    requestPasswordReset: (input: Input<typeof ops.requestPasswordReset>) => call(ops.requestPasswordReset, input),
    /** Set a new password with the token from the link; ends every session and does not sign in. */
    completePasswordReset: (input: Input<typeof ops.completePasswordReset>) => call(ops.completePasswordReset, input),
    /**
     * Confirm `{ password }` (or `{ code }`: a TOTP or backup code) again; sensitive operations need this
     * within 10 minutes (else 403 `mfa_required`).
     */
    reauthenticate: (input: Input<typeof ops.reauthenticate>) => call(ops.reauthenticate, input),
    /**
     * Sign in with a passkey, no email typed: `options()` gives `{ options }` for the browser
     * (`startAuthentication({ optionsJSON: options })` of `@simplewebauthn/browser`), and `verify`
     * takes its answer and completes the sign-in like `signIn` (no second factor is asked after a passkey).
     */
    passkey: {
      options: () => call(ops.passkeySignInOptions, {}),
      verify: (input: Input<typeof ops.passkeySignIn>) => call(ops.passkeySignIn, input),
    },
    /**
     * Social sign-in. `providers()` lists the enabled ones (`{ providers: [{ id, type, name }] }`) for
     * buttons; `start({ providerId, redirectUrl })` gives `{ authorizationUrl }`: navigate the window
     * there. Gatehouse's callback then sends the browser to `redirectUrl`, signed in (cookie), or with
     * `?oauth=needs_second_factor&attemptId=…&factors=…` (finish with `secondFactor`), or `?error=<code>`.
     */
    oauth: {
      providers: () => call(ops.listOAuthSignInProviders, {}),
      start: (input: Input<typeof ops.startOAuthSignIn>) => call(ops.startOAuthSignIn, input),
    },
  };
}
