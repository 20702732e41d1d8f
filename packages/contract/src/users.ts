import { z } from 'zod';
import { Email, Metadata, name, Password, Timestamp } from './common.js';
import { idOf } from './ids.js';

/** An E.164 phone number, e.g. `+14155550123`. */
export const Phone = z
  .string()
  .trim()
  .regex(/^\+[1-9]\d{6,14}$/, { error: 'must be an E.164 phone number such as +14155550123' });

/** A username: 3–64 of a–z, 0–9, `_`, `.`, `-`; stored lower-cased, unique. */
export const Username = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.string().regex(/^[a-z0-9_.-]{3,64}$/, { error: 'must be 3-64 characters of a-z, 0-9, _ . -' }));

/** An image URL (https or http), at most 2048 characters. */
export const ImageUrl = z.url({ protocol: /^https?$/ }).max(2048);

/** One of a user's email addresses. */
export const UserEmail = z
  .object({ id: z.string(), email: z.string(), verified: z.boolean(), primary: z.boolean() })
  .meta({ id: 'UserEmail' });

/** One of a user's phone numbers. */
export const UserPhone = z
  .object({ id: z.string(), phone: z.string(), verified: z.boolean(), primary: z.boolean() })
  .meta({ id: 'UserPhone' });

const userFields = {
  id: z.string(),
  email: z.string().nullable().meta({ description: 'The primary email address' }),
  emails: z.array(UserEmail),
  phones: z.array(UserPhone),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  username: z.string().nullable(),
  imageUrl: z.string().nullable(),
  hasPassword: z.boolean(),
  totpEnabled: z.boolean(),
  backupCodesRemaining: z.number().int(),
  publicMetadata: z.record(z.string(), z.unknown()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
};

/** A user as the frontend API shows it (no private metadata). */
export const User = z.object(userFields).meta({ id: 'User' });

/** A user as the backend API shows it. */
export const BackendUser = z.object({ ...userFields, privateMetadata: z.record(z.string(), z.unknown()) }).meta({ id: 'BackendUser' });

/** The short user object embedded in memberships, invitations and audit data. */
export const UserSummary = z
  .object({
    id: z.string(),
    email: z.string().nullable(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    imageUrl: z.string().nullable(),
  })
  .meta({ id: 'UserSummary' });

export const CreateUserBody = z.strictObject({
  email: Email,
  password: Password.optional(),
  firstName: name().optional(),
  lastName: name().optional(),
  username: Username.optional(),
  imageUrl: ImageUrl.optional(),
  emailVerified: z.boolean().default(true),
  publicMetadata: Metadata.optional(),
  privateMetadata: Metadata.optional(),
});

export const UpdateUserBody = z.strictObject({
  firstName: name().nullable().optional(),
  lastName: name().nullable().optional(),
  username: Username.nullable().optional(),
  imageUrl: ImageUrl.nullable().optional(),
  password: Password.optional(),
  publicMetadata: Metadata.optional(),
  privateMetadata: Metadata.optional(),
});

export const UserParams = z.strictObject({ userId: idOf('user') });
export const UserEmailParams = z.strictObject({ userId: idOf('user'), emailId: idOf('email') });
export const UserPhoneParams = z.strictObject({ userId: idOf('user'), phoneId: idOf('phone') });

export const CreateEmailBody = z.strictObject({
  email: Email,
  verified: z.boolean().default(true),
  primary: z.boolean().default(false),
});
export const UpdateEmailBody = z.strictObject({ verified: z.boolean() });
export const CreatePhoneBody = z.strictObject({
  phone: Phone,
  verified: z.boolean().default(true),
  primary: z.boolean().default(false),
});
export const UpdatePhoneBody = z.strictObject({ verified: z.boolean() });
