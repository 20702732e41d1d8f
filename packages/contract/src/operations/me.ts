import { z } from 'zod';
import { Email, name, Ok, Password, Timestamp } from '../common.js';
import { idOf } from '../ids.js';
import { frontend } from '../operation.js';
import { ImageUrl, User, Username } from '../users.js';
import { EmailCode } from './auth.js';

const tag = 'Me';

const UserResult = z.object({ user: User });

export const getMe = frontend({
  name: 'me/get',
  input: z.strictObject({}),
  output: UserResult,
  auth: 'user',
  summary: 'The signed-in user',
  tag,
});

export const updateMe = frontend({
  name: 'me/update',
  input: z.strictObject({
    firstName: name().nullable().optional(),
    lastName: name().nullable().optional(),
    username: Username.nullable().optional(),
    imageUrl: ImageUrl.nullable().optional(),
  }),
  output: UserResult,
  auth: 'user',
  summary: 'Change my names, username or image (409 `conflict` when the username is taken)',
  tag,
});

/** An address waiting for its emailed code; it is not part of the user until verified. */
export const PendingEmail = z.object({ id: z.string(), email: z.string(), expiresAt: Timestamp }).meta({ id: 'PendingEmail' });

export const addMyEmail = frontend({
  name: 'me/emails/add',
  input: z.strictObject({ email: Email }),
  output: z.object({ pendingEmail: PendingEmail }),
  auth: 'user',
  summary: 'Add an email address: mails a 6-digit code to it',
  description:
    'Needs a re-authentication in the last 10 minutes (403 `mfa_required`). The address joins the account only once `me/emails/verify` proves it.',
  tag,
});

export const verifyMyEmail = frontend({
  name: 'me/emails/verify',
  input: z.strictObject({ emailId: idOf('email'), code: EmailCode }),
  output: UserResult,
  auth: 'user',
  summary: 'Prove an added address with its code',
  description: 'The code lives 10 minutes, is single use and allows 5 wrong tries.',
  tag,
});

export const makeMyEmailPrimary = frontend({
  name: 'me/emails/make-primary',
  input: z.strictObject({ emailId: idOf('email') }),
  output: UserResult,
  auth: 'user',
  summary: 'Make a verified address my primary one',
  description: 'Needs a re-authentication in the last 10 minutes (403 `mfa_required`).',
  tag,
});

export const deleteMyEmail = frontend({
  name: 'me/emails/delete',
  input: z.strictObject({ emailId: idOf('email') }),
  output: UserResult,
  auth: 'user',
  summary: 'Remove an address (not the primary one) or a pending one',
  description: 'Needs a re-authentication in the last 10 minutes (403 `mfa_required`).',
  tag,
});

export const changeMyPassword = frontend({
  name: 'me/password/change',
  input: z.strictObject({ currentPassword: Password, newPassword: Password }),
  output: Ok,
  auth: 'user',
  summary: 'Change my password; ends my other sessions',
  description: 'A wrong `currentPassword` answers 401 `invalid_credentials`.',
  tag,
});
