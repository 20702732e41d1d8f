import * as ops from '@gatehouse/contract';
import type { z } from 'zod';
import type { BackendCallInput } from '../http.js';
import { paginate } from '../paginate.js';

/** Calls one backend operation; bound to a base URL and secret key by the client. */
export type BackendCaller = <Op extends ops.BackendOperation>(op: Op, input?: BackendCallInput<Op>) => Promise<z.output<Op['output']>>;

type Body<Op extends ops.BackendOperation> = z.input<NonNullable<Op['body']>>;
type Query<Op extends ops.BackendOperation> = z.input<NonNullable<Op['query']>>;

/** A user as the backend API returns it. */
export type BackendUser = z.output<typeof ops.BackendUser>;
/** One of a user's email addresses. */
export type UserEmail = z.output<typeof ops.UserEmail>;
/** One of a user's phone numbers. */
export type UserPhone = z.output<typeof ops.UserPhone>;

/** `users.*` of the backend client. */
export function usersApi(call: BackendCaller) {
  return {
    /** List users, newest first; `search` matches email, name or username; `email` an exact address. */
    list: (query: Query<typeof ops.listUsers> = {}) => call(ops.listUsers, { query }),
    /** Every user matching `query`, fetching pages as the loop asks for them. */
    listAll: (query: Omit<Query<typeof ops.listUsers>, 'cursor'> = {}) =>
      paginate((cursor) => call(ops.listUsers, { query: { ...query, ...(cursor ? { cursor } : {}) } })),
    /** Get one user; 404 `not_found` for an unknown id. */
    get: (userId: string) => call(ops.getUser, { params: { userId } }),
    /** Create a user (409 `conflict` when the email is taken). */
    create: (body: Body<typeof ops.createUser>) => call(ops.createUser, { body }),
    /** Update a user's profile, password or metadata. */
    update: (userId: string, body: Body<typeof ops.updateUser>) => call(ops.updateUser, { params: { userId }, body }),
    /** Delete a user, their sessions and memberships. */
    delete: (userId: string) => call(ops.deleteUser, { params: { userId } }),
    /** A user's email addresses. */
    emails: {
      list: (userId: string) => call(ops.listUserEmails, { params: { userId } }),
      create: (userId: string, body: Body<typeof ops.createUserEmail>) => call(ops.createUserEmail, { params: { userId }, body }),
      update: (userId: string, emailId: string, body: Body<typeof ops.updateUserEmail>) =>
        call(ops.updateUserEmail, { params: { userId, emailId }, body }),
      delete: (userId: string, emailId: string) => call(ops.deleteUserEmail, { params: { userId, emailId } }),
      makePrimary: (userId: string, emailId: string) => call(ops.makeUserEmailPrimary, { params: { userId, emailId } }),
    },
    /** A user's phone numbers. */
    phones: {
      list: (userId: string) => call(ops.listUserPhones, { params: { userId } }),
      create: (userId: string, body: Body<typeof ops.createUserPhone>) => call(ops.createUserPhone, { params: { userId }, body }),
      update: (userId: string, phoneId: string, body: Body<typeof ops.updateUserPhone>) =>
        call(ops.updateUserPhone, { params: { userId, phoneId }, body }),
      delete: (userId: string, phoneId: string) => call(ops.deleteUserPhone, { params: { userId, phoneId } }),
      makePrimary: (userId: string, phoneId: string) => call(ops.makeUserPhonePrimary, { params: { userId, phoneId } }),
    },
  };
}

/** `keys.*` of the backend client: admin secret keys. */
export function keysApi(call: BackendCaller) {
  return {
    list: () => call(ops.listSecretKeys),
    /** Create a key; `secret` is in this answer only. */
    create: (body: Body<typeof ops.createSecretKey> = {}) => call(ops.createSecretKey, { body }),
    revoke: (keyId: string) => call(ops.revokeSecretKey, { params: { keyId } }),
  };
}

/** `users.mfa.*` of the backend client: a user's TOTP authenticator and backup codes. */
export function userMfaApi(call: BackendCaller) {
  return {
    /** Give the user a TOTP authenticator with your base32 secret: `{ id, otpUrl }`; 409 `authenticator_exists` when one is active. */
    createAuthenticator: (userId: string, body: Body<typeof ops.createAuthenticator>) =>
      call(ops.createAuthenticator, { params: { userId }, body }),
    /** Remove the user's authenticator: `{ deleted }` (false when there was none). */
    deleteAuthenticator: (userId: string) => call(ops.deleteAuthenticator, { params: { userId } }),
    /** 10 new backup codes, shown this once: `{ backupCodes }`. Earlier codes stop working. */
    regenerateBackupCodes: (userId: string) => call(ops.regenerateBackupCodes, { params: { userId } }),
  };
}

/** `users.passkeys.*` of the backend client: a user's passkeys, as metadata (never key material). */
export function userPasskeysApi(call: BackendCaller) {
  return {
    /** The user's passkeys, newest first: `{ data, hasMore, nextCursor }` with id, name, transports, deviceType, backedUp, dates. */
    list: (userId: string) => call(ops.listUserPasskeys, { params: { userId } }),
    /** Rename a passkey (trimmed, 1–64 characters): the passkey. */
    rename: (userId: string, passkeyId: string, name: string) =>
      call(ops.renameUserPasskey, { params: { userId, passkeyId }, body: { name } }),
    /** Delete a passkey: `{ id, deleted: true }`; 404 `not_found` afterwards. */
    delete: (userId: string, passkeyId: string) => call(ops.deleteUserPasskey, { params: { userId, passkeyId } }),
  };
}
