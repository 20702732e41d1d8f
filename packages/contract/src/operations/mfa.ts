import { z } from 'zod';
import { idOf } from '../ids.js';
import { backend, frontend } from '../operation.js';
import { User, UserParams } from '../users.js';

const tag = 'Second factors';

/** A 6-digit authenticator code (spaces are ignored). */
export const TotpCode = z
  .string()
  .transform((v) => v.replace(/\s+/g, ''))
  .pipe(z.string().regex(/^\d{6}$/, { error: 'must be the 6-digit code from the authenticator app' }));

/** A TOTP code or a backup code: what a second-factor step takes. */
export const SecondFactorCode = z
  .string()
  .min(1)
  .max(64)
  .meta({ description: 'The 6-digit code of the authenticator app, or one of the backup codes (case and dashes ignored)' });

/** Ten single-use backup codes, shown this once. */
export const BackupCodes = z
  .object({ backupCodes: z.array(z.string()).length(10) })
  .meta({ id: 'BackupCodes', description: 'Ten single-use codes, shown this once; every earlier code stops working.' });

export const createAuthenticator = backend({
  name: 'users.mfa.createAuthenticator',
  method: 'POST',
  path: '/users/{userId}/authenticators',
  params: UserParams,
  body: z.strictObject({
    secret: z.string().min(1).max(256).meta({ description: 'Base32 (RFC 4648); spaces and dashes ignored; at least 80 bits' }),
    accountName: z.string().trim().min(1).max(128).optional().meta({ description: "The label in the app; default the user's email" }),
  }),
  output: z.object({ id: idOf('authenticator'), otpUrl: z.string() }),
  summary: 'Give a user a TOTP authenticator with a secret you choose',
  description:
    'Active at once. `otpUrl` is the `otpauth://` URL to show as a QR code or share out of band. 409 `authenticator_exists` when the user already has an active one: delete it first to re-enrol.',
  tag,
});

export const deleteAuthenticator = backend({
  name: 'users.mfa.deleteAuthenticator',
  method: 'DELETE',
  path: '/users/{userId}/authenticators',
  params: UserParams,
  output: z.object({ deleted: z.boolean() }),
  summary: "Remove a user's TOTP authenticator",
  description: '`deleted` is false when there was none (idempotent). Backup codes stay.',
  tag,
});

export const regenerateBackupCodes = backend({
  name: 'users.mfa.regenerateBackupCodes',
  method: 'POST',
  path: '/users/{userId}/backup-codes/regenerate',
  params: UserParams,
  output: BackupCodes,
  summary: 'Make 10 new backup codes for a user',
  tag,
});

export const enrollTotp = frontend({
  name: 'me/mfa/totp/enroll',
  input: z.strictObject({}),
  output: z.object({
    secret: z.string().meta({ description: 'Base32, for apps that cannot scan' }),
    otpUrl: z.string(),
    qrSvg: z.string().meta({ description: 'The otpauth URL as an SVG QR code' }),
  }),
  auth: 'user',
  summary: 'Start TOTP enrolment: a new secret, its otpauth URL and QR code',
  description:
    'Counts only after `me/mfa/totp/verify` with a code from the app; a new enrol replaces one not yet verified. Needs a recent `auth/reauthenticate` (403 `mfa_required`); 409 `authenticator_exists` when one is active.',
  tag,
});

export const verifyTotp = frontend({
  name: 'me/mfa/totp/verify',
  input: z.strictObject({ code: TotpCode }),
  output: z.object({ user: User }),
  auth: 'user',
  summary: 'Finish TOTP enrolment with a code from the app',
  tag,
});

export const deleteTotp = frontend({
  name: 'me/mfa/totp/delete',
  input: z.strictObject({}),
  output: z.object({ user: User }),
  auth: 'user',
  summary: 'Remove my TOTP authenticator',
  description: 'Needs a recent `auth/reauthenticate` (403 `mfa_required`).',
  tag,
});

export const regenerateMyBackupCodes = frontend({
  name: 'me/mfa/backup-codes/regenerate',
  input: z.strictObject({}),
  output: BackupCodes,
  auth: 'user',
  summary: 'Make 10 new backup codes (every earlier one stops working)',
  description: 'Needs a recent `auth/reauthenticate` (403 `mfa_required`).',
  tag,
});
