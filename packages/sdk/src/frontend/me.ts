import * as ops from '@gatehouse/contract';
import type { z } from 'zod';
import type { FrontendCaller } from './index.js';

type Input<Op extends ops.FrontendOperation> = z.input<Op['input']>;

/** `me.*` of the frontend client: the signed-in user's own account. */
export function meApi(call: FrontendCaller) {
  return {
    /** The signed-in user: `{ user }`. */
    get: () => call(ops.getMe, {}),
    /** Change names, username or image: `{ user }`. */
    update: (input: Input<typeof ops.updateMe>) => call(ops.updateMe, input),
    /** Email addresses. Adding, deleting and making primary need a recent `auth.reauthenticate`. */
    emails: {
      /** Mail a code to a new address: `{ pendingEmail }`. */
      add: (input: Input<typeof ops.addMyEmail>) => call(ops.addMyEmail, input),
      /** Prove an added address with its code: `{ user }`. */
      verify: (input: Input<typeof ops.verifyMyEmail>) => call(ops.verifyMyEmail, input),
      makePrimary: (input: Input<typeof ops.makeMyEmailPrimary>) => call(ops.makeMyEmailPrimary, input),
      delete: (input: Input<typeof ops.deleteMyEmail>) => call(ops.deleteMyEmail, input),
    },
    password: {
      /** Change the password; ends the other sessions. */
      change: (input: Input<typeof ops.changeMyPassword>) => call(ops.changeMyPassword, input),
    },
    /** Second factors. Enrolling, deleting and new backup codes need a recent `auth.reauthenticate`. */
    mfa: {
      totp: {
        /** Start enrolment: `{ secret, otpUrl, qrSvg }`; it counts once `verify` gets a code from the app. */
        enroll: () => call(ops.enrollTotp, {}),
        /** Finish enrolment with a code from the app: `{ user }` with `totpEnabled: true`. */
        verify: (input: Input<typeof ops.verifyTotp>) => call(ops.verifyTotp, input),
        /** Remove the authenticator: `{ user }`. */
        delete: () => call(ops.deleteTotp, {}),
      },
      backupCodes: {
        /** 10 new single-use codes, shown this once: `{ backupCodes }`. Earlier codes stop working. */
        regenerate: () => call(ops.regenerateMyBackupCodes, {}),
      },
    },
    /** Passkeys. Adding one (`registerOptions` and `register`) and deleting one need a recent `auth.reauthenticate`. */
    passkeys: {
      /** `{ options }` for the browser (`startRegistration({ optionsJSON: options })`), with a challenge valid 5 minutes. */
      registerOptions: () => call(ops.passkeyRegisterOptions, {}),
      /** Finish adding a passkey with the browser's answer: `{ passkey }`. */
      register: (input: Input<typeof ops.registerPasskey>) => call(ops.registerPasskey, input),
      /** My passkeys, newest first: `{ passkeys }` (metadata only). */
      list: () => call(ops.listMyPasskeys, {}),
      /** Rename one (trimmed, 1–64 characters): `{ passkey }`. */
      rename: (input: Input<typeof ops.renameMyPasskey>) => call(ops.renameMyPasskey, input),
      /** Delete one: `{ id, deleted: true }`. */
      delete: (input: Input<typeof ops.deleteMyPasskey>) => call(ops.deleteMyPasskey, input),
    },
    /** Social connections (provider accounts that sign me in). Unlinking needs a recent sign-in or `auth.reauthenticate`. */
    socialConnections: {
      /** Mine, newest first: `{ connections }` (never the provider's tokens). */
      list: () => call(ops.listMySocialConnections, {}),
      /** Unlink one: `{ id, deleted: true }`; 409 `conflict` when it is the account's last way to sign in. */
      unlink: (input: Input<typeof ops.unlinkMySocialConnection>) => call(ops.unlinkMySocialConnection, input),
    },
    sessions: {
      /** My active sessions, newest activity first; `current` marks this one. */
      list: (input: Input<typeof ops.listMySessions> = {}) => call(ops.listMySessions, input),
      /** End one of my sessions (idempotent). */
      revoke: (input: Input<typeof ops.revokeMySession>) => call(ops.revokeMySession, input),
      /** End every session but this one: `{ revoked }`. */
      revokeOthers: () => call(ops.revokeMyOtherSessions, {}),
    },
  };
}
