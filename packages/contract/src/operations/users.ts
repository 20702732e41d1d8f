import { z } from 'zod';
import { Deleted, PageQuery, page, SearchTerm } from '../common.js';
import { backend } from '../operation.js';
import {
  BackendUser,
  CreateEmailBody,
  CreatePhoneBody,
  CreateUserBody,
  UpdateEmailBody,
  UpdatePhoneBody,
  UpdateUserBody,
  UserEmail,
  UserEmailParams,
  UserParams,
  UserPhone,
  UserPhoneParams,
} from '../users.js';

const tag = 'Users';

export const listUsers = backend({
  name: 'users.list',
  method: 'GET',
  path: '/users',
  query: PageQuery.extend({
    search: SearchTerm.optional().meta({ description: 'Part of an email address, name or username' }),
    // Refused when blank: an empty filter must not silently match every user.
    email: z
      .string()
      .trim()
      .toLowerCase()
      .min(1, { error: 'must not be empty' })
      .max(254)
      .optional()
      .meta({ description: 'An exact email address' }),
  }),
  output: page(BackendUser),
  summary: 'List users, newest first',
  tag,
});

export const createUser = backend({
  name: 'users.create',
  method: 'POST',
  path: '/users',
  body: CreateUserBody,
  output: BackendUser,
  summary: 'Create a user',
  description:
    'The email becomes the primary address (verified unless `emailVerified: false`). 409 `conflict` when any user already has it.',
  tag,
});

export const getUser = backend({
  name: 'users.get',
  method: 'GET',
  path: '/users/{userId}',
  params: UserParams,
  output: BackendUser,
  summary: 'Get a user',
  tag,
});

export const updateUser = backend({
  name: 'users.update',
  method: 'PATCH',
  path: '/users/{userId}',
  params: UserParams,
  body: UpdateUserBody,
  output: BackendUser,
  summary: 'Update a user',
  description: 'Metadata objects are replaced whole. `null` clears a name, username or image.',
  tag,
});

export const deleteUser = backend({
  name: 'users.delete',
  method: 'DELETE',
  path: '/users/{userId}',
  params: UserParams,
  output: Deleted,
  summary: 'Delete a user',
  description: 'Ends their sessions and memberships. 409 `last_owner` when they are the last owner of an organization.',
  tag,
});

const emailList = page(UserEmail);
const phoneList = page(UserPhone);

export const listUserEmails = backend({
  name: 'users.emails.list',
  method: 'GET',
  path: '/users/{userId}/emails',
  params: UserParams,
  output: emailList,
  summary: "List a user's email addresses",
  tag,
});
export const createUserEmail = backend({
  name: 'users.emails.create',
  method: 'POST',
  path: '/users/{userId}/emails',
  params: UserParams,
  body: CreateEmailBody,
  output: UserEmail,
  summary: 'Add an email address to a user',
  tag,
});
export const updateUserEmail = backend({
  name: 'users.emails.update',
  method: 'PATCH',
  path: '/users/{userId}/emails/{emailId}',
  params: UserEmailParams,
  body: UpdateEmailBody,
  output: UserEmail,
  summary: 'Mark an email address verified or unverified',
  tag,
});
export const deleteUserEmail = backend({
  name: 'users.emails.delete',
  method: 'DELETE',
  path: '/users/{userId}/emails/{emailId}',
  params: UserEmailParams,
  output: Deleted,
  summary: 'Remove an email address',
  description: 'The primary address cannot be removed (409 `conflict`): make another one primary first.',
  tag,
});
export const makeUserEmailPrimary = backend({
  name: 'users.emails.makePrimary',
  method: 'POST',
  path: '/users/{userId}/emails/{emailId}/make-primary',
  params: UserEmailParams,
  output: UserEmail,
  summary: 'Make an email address the primary one',
  description: 'Only a verified address can become primary (409 `conflict` otherwise).',
  tag,
});

export const listUserPhones = backend({
  name: 'users.phones.list',
  method: 'GET',
  path: '/users/{userId}/phones',
  params: UserParams,
  output: phoneList,
  summary: "List a user's phone numbers",
  tag,
});
export const createUserPhone = backend({
  name: 'users.phones.create',
  method: 'POST',
  path: '/users/{userId}/phones',
  params: UserParams,
  body: CreatePhoneBody,
  output: UserPhone,
  summary: 'Add a phone number to a user',
  description: "A user's first phone number becomes primary.",
  tag,
});
export const updateUserPhone = backend({
  name: 'users.phones.update',
  method: 'PATCH',
  path: '/users/{userId}/phones/{phoneId}',
  params: UserPhoneParams,
  body: UpdatePhoneBody,
  output: UserPhone,
  summary: 'Mark a phone number verified or unverified',
  tag,
});
export const deleteUserPhone = backend({
  name: 'users.phones.delete',
  method: 'DELETE',
  path: '/users/{userId}/phones/{phoneId}',
  params: UserPhoneParams,
  output: Deleted,
  summary: 'Remove a phone number',
  description: 'The primary number can be removed only when it is the last one (409 `conflict` otherwise): make another one primary first.',
  tag,
});
export const makeUserPhonePrimary = backend({
  name: 'users.phones.makePrimary',
  method: 'POST',
  path: '/users/{userId}/phones/{phoneId}/make-primary',
  params: UserPhoneParams,
  output: UserPhone,
  summary: 'Make a phone number the primary one',
  tag,
});
