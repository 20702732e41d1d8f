import { z } from 'zod';
import { Deleted, page, Timestamp } from '../common.js';
import { idOf } from '../ids.js';
import { backend, frontend } from '../operation.js';
import { UserParams } from '../users.js';
import { SignInComplete } from './auth.js';

const tag = 'Passkeys';

/** A passkey's label: trimmed, 1–64 characters. */
export const PasskeyName = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine((v) => !v.includes('\u0000'), { error: 'must not contain NUL' })
  .meta({ description: 'A label the user recognises, e.g. "MacBook Touch ID" (trimmed, 1–64 characters)' });

/** A passkey as both APIs show it: metadata only, never the credential id or the public key. */
export const Passkey = z
  .object({
    id: idOf('passkey'),
    name: z.string(),
    transports: z
      .array(z.string())
      .meta({ description: 'How the authenticator talks to the browser: `internal`, `hybrid`, `usb`, `nfc`, `ble`' }),
    deviceType: z
      .enum(['singleDevice', 'multiDevice'])
      .meta({ description: '`multiDevice` when the passkey may be synced (iCloud Keychain, Google Password Manager)' }),
    backedUp: z.boolean().meta({ description: 'Whether the passkey is synced or backed up now' }),
    createdAt: Timestamp,
    lastUsedAt: Timestamp.nullable(),
  })
  .meta({ id: 'Passkey' });

/** base64url text, as WebAuthn's JSON forms carry binary fields. */
const Base64Url = z
  .string()
  .max(16_384)
  .regex(/^[A-Za-z0-9_-]*$/, { error: 'must be base64url' });

const Descriptor = z.object({ id: z.string(), type: z.literal('public-key'), transports: z.array(z.string()).optional() });

/** Fields both kinds of options may carry. */
const optionFields = {
  challenge: z.string().meta({ description: 'base64url; works once, within 5 minutes' }),
  timeout: z.number().optional(),
  hints: z.array(z.string()).optional(),
  extensions: z.object({ credProps: z.boolean().optional() }).optional(),
};

/**
 * `PublicKeyCredentialCreationOptionsJSON`: give it to `@simplewebauthn/browser`'s
 * `startRegistration({ optionsJSON })`, or decode its base64url fields for `navigator.credentials.create`.
 */
export const PasskeyCreationOptions = z
  .object({
    ...optionFields,
    rp: z.object({ id: z.string().optional(), name: z.string() }),
    user: z.object({ id: z.string().meta({ description: 'The user handle, base64url' }), name: z.string(), displayName: z.string() }),
    pubKeyCredParams: z.array(z.object({ type: z.literal('public-key'), alg: z.number() })),
    excludeCredentials: z.array(Descriptor).optional(),
    authenticatorSelection: z
      .object({
        authenticatorAttachment: z.string().optional(),
        requireResidentKey: z.boolean().optional(),
        residentKey: z.string().optional(),
        userVerification: z.string().optional(),
      })
      .optional(),
    attestation: z.string().optional(),
  })
  .meta({ id: 'PasskeyCreationOptions' });

/**
 * `PublicKeyCredentialRequestOptionsJSON` for a discoverable-credential sign-in (no
 * `allowCredentials`: the authenticator offers the passkeys it holds for this site).
 */
export const PasskeyRequestOptions = z
  .object({
    ...optionFields,
    rpId: z.string().optional(),
    allowCredentials: z.array(Descriptor).optional(),
    userVerification: z.string().optional(),
  })
  .meta({ id: 'PasskeyRequestOptions' });

/** `RegistrationResponseJSON`: what `startRegistration` returns, or the created credential in base64url. */
export const PasskeyRegistrationResponse = z
  .looseObject({
    id: Base64Url,
    rawId: Base64Url,
    type: z.literal('public-key'),
    response: z.looseObject({
      clientDataJSON: Base64Url,
      attestationObject: Base64Url,
      transports: z.array(z.string().max(32)).max(10).optional(),
    }),
    clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
    authenticatorAttachment: z.string().optional(),
  })
  .meta({ id: 'PasskeyRegistrationResponse' });

/** `AuthenticationResponseJSON`: what `startAuthentication` returns, or the assertion in base64url. */
export const PasskeyAuthenticationResponse = z
  .looseObject({
    id: Base64Url,
    rawId: Base64Url,
    type: z.literal('public-key'),
    response: z.looseObject({
      clientDataJSON: Base64Url,
      authenticatorData: Base64Url,
      signature: Base64Url,
      userHandle: Base64Url.optional(),
    }),
    clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
    authenticatorAttachment: z.string().optional(),
  })
  .meta({ id: 'PasskeyAuthenticationResponse' });

const PasskeyParams = z.strictObject({ userId: idOf('user'), passkeyId: idOf('passkey') });

export const listUserPasskeys = backend({
  name: 'users.passkeys.list',
  method: 'GET',
  path: '/users/{userId}/passkeys',
  params: UserParams,
  output: page(Passkey),
  summary: "List a user's passkeys (metadata only)",
  description: 'Newest first, all of them in one page. Never the credential id or key material.',
  tag,
});

export const renameUserPasskey = backend({
  name: 'users.passkeys.rename',
  method: 'PATCH',
  path: '/users/{userId}/passkeys/{passkeyId}',
  params: PasskeyParams,
  body: z.strictObject({ name: PasskeyName }),
  output: Passkey,
  summary: 'Rename a passkey',
  tag,
});

export const deleteUserPasskey = backend({
  name: 'users.passkeys.delete',
  method: 'DELETE',
  path: '/users/{userId}/passkeys/{passkeyId}',
  params: PasskeyParams,
  output: Deleted,
  summary: 'Delete a passkey: it signs in no more',
  tag,
});

export const passkeyRegisterOptions = frontend({
  name: 'me/passkeys/register-options',
  input: z.strictObject({}),
  output: z.object({ options: PasskeyCreationOptions }),
  auth: 'user',
  summary: 'Start adding a passkey: creation options with a one-time challenge',
  description:
    'The challenge works once, within 5 minutes, for this user. The options ask for a discoverable credential (resident key) and user verification, and exclude the passkeys the user already has. Needs a recent `auth/reauthenticate` (403 `mfa_required`).',
  tag,
});

export const registerPasskey = frontend({
  name: 'me/passkeys/register',
  input: z.strictObject({ response: PasskeyRegistrationResponse, name: PasskeyName.optional() }),
  output: z.object({ passkey: Passkey }),
  auth: 'user',
  summary: 'Finish adding a passkey with the browser’s answer',
  description:
    'Checks the challenge (unknown, used or expired: 400), the origin (`PUBLIC_URL` or `ALLOWED_ORIGINS`), the RP id (`RP_ID`) and user verification. A credential already registered answers 409 `conflict`. Needs a recent `auth/reauthenticate` (403 `mfa_required`).',
  tag,
});

export const listMyPasskeys = frontend({
  name: 'me/passkeys/list',
  input: z.strictObject({}),
  output: z.object({ passkeys: z.array(Passkey) }),
  auth: 'user',
  summary: 'My passkeys, newest first (metadata only)',
  tag,
});

export const renameMyPasskey = frontend({
  name: 'me/passkeys/rename',
  input: z.strictObject({ passkeyId: idOf('passkey'), name: PasskeyName }),
  output: z.object({ passkey: Passkey }),
  auth: 'user',
  summary: 'Rename one of my passkeys',
  tag,
});

export const deleteMyPasskey = frontend({
  name: 'me/passkeys/delete',
  input: z.strictObject({ passkeyId: idOf('passkey') }),
  output: Deleted,
  auth: 'user',
  summary: 'Delete one of my passkeys',
  description:
    'Needs a recent `auth/reauthenticate` (403 `mfa_required`). The last passkey of an account without a password answers 409 `conflict`: set a password first, so the account keeps a way in.',
  tag,
});

export const passkeySignInOptions = frontend({
  name: 'auth/passkey/options',
  input: z.strictObject({}),
  output: z.object({ options: PasskeyRequestOptions }),
  auth: 'none',
  summary: 'Start a passkey sign-in: request options with a one-time challenge',
  description:
    'No email is needed: the options list no credentials, so the authenticator offers the passkeys it holds for this site. The challenge works once, within 5 minutes. Rate limited per IP.',
  tag,
});

export const passkeySignIn = frontend({
  name: 'auth/passkey/verify',
  input: z.strictObject({ response: PasskeyAuthenticationResponse }),
  output: SignInComplete,
  auth: 'none',
  summary: 'Sign in with a passkey',
  description:
    'A new session, as `auth/sign-in` hands it over. No second factor is asked: a passkey with user verification is already two factors (the device and its PIN or biometric). An unknown, used or expired challenge, a wrong origin or RP id, an unknown credential, a bad signature or a signature counter that went back all answer 401 `invalid_credentials`. Rate limited per IP.',
  tag,
});
