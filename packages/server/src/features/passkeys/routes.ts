import * as ops from '@gatehouse/contract';
// Types only: the module is imported on the first passkey request (Node keeps it), since loading it
// takes about half a second that every start would otherwise pay.
import type { AuthenticatorTransportFuture, generateRegistrationOptions, verifyRegistrationResponse } from '@simplewebauthn/server';
import type { Hono } from 'hono';
import type { z } from 'zod';
import type { Deps } from '../../deps.js';
import { bindBackend, bindFrontend } from '../../http/bind.js';
import type { AppEnv } from '../../http/context.js';
import { ApiError } from '../../http/errors.js';
import { challengeOf, newChallenge } from '../../security/webauthn.js';
import { recordUserEvent } from '../audit/record.js';
import { requireRecentAuth } from '../auth/reauth.js';
import { getUser, lockUser } from '../users/queries.js';
import { presentPasskey } from './present.js';
import * as pq from './queries.js';

type RegistrationResponse = z.output<typeof ops.PasskeyRegistrationResponse>;

function passkeyNotFound(): ApiError {
  return new ApiError('not_found', 'No such passkey.');
}

function badRegistration(reason: string): ApiError {
  return new ApiError('invalid_request', `The passkey was not added: ${reason}. Ask for new options and try again.`, [
    { path: 'body.response', message: reason },
  ]);
}

/** Passkeys: adding them (WebAuthn registration), listing, renaming and deleting, for the user and the backend. */
export function registerPasskeyRoutes(app: Hono<AppEnv>, deps: Deps): void {
  const { db, clock, config } = deps;
  const rpName = new URL(config.publicUrl).hostname;

  /**
   * Check a registration: the challenge must be one issued to this user (used up here, whatever
   * follows), then the library checks origin, RP id, user verification and the attestation.
   */
  async function verifyRegistration(userId: string, response: RegistrationResponse) {
    const challenge = challengeOf(response.response.clientDataJSON);
    if (!challenge) throw badRegistration('the client data is malformed');
    if (!(await pq.consumeChallenge(db, challenge, 'registration', userId, clock.now()))) {
      throw badRegistration('the challenge is unknown, used or expired');
    }
    try {
      const result = await (await import('@simplewebauthn/server')).verifyRegistrationResponse({
        response: response as Parameters<typeof verifyRegistrationResponse>[0]['response'],
        expectedChallenge: challenge,
        expectedOrigin: config.allowedOrigins,
        expectedRPID: config.rpId,
        requireUserVerification: true,
      });
      if (!result.verified) throw new Error('the response did not verify');
      return result.registrationInfo;
    } catch (error) {
      throw badRegistration(error instanceof Error ? error.message : 'the response did not verify');
    }
  }

  bindFrontend(app, deps, ops.passkeyRegisterOptions, async (_input, principal) => {
    const now = clock.now();
    requireRecentAuth(principal, now);
    const user = await getUser(db, principal.userId);
    const email = user.emails.find((e) => e.is_primary)?.email;
    const existing = await pq.listPasskeys(db, principal.userId);
    const challenge = newChallenge();
    const options = await (await import('@simplewebauthn/server')).generateRegistrationOptions({
      rpName,
      rpID: config.rpId,
      userName: email ?? user.username ?? user.id,
      userID: Buffer.from(user.id, 'utf8'),
      userDisplayName: [user.first_name, user.last_name].filter(Boolean).join(' ') || email || user.id,
      challenge: Buffer.from(challenge, 'base64url'),
      timeout: 5 * 60 * 1000,
      attestationType: 'none',
      // The authenticator must not make a second passkey for an account it already holds one of.
      excludeCredentials: existing.map((p) => ({ id: p.credential_id, transports: p.transports as AuthenticatorTransportFuture[] })),
      // Discoverable, so sign-in needs no email; verified (PIN or biometric), so it is two factors.
      authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
    });
    await pq.insertChallenge(db, challenge, 'registration', principal.userId, now);
    return { options };
  });

  bindFrontend(app, deps, ops.registerPasskey, async ({ response, name }, principal, c) => {
    requireRecentAuth(principal, clock.now());
    const info = await verifyRegistration(principal.userId, response);
    const now = clock.now();
    const row = await db.transaction().execute(async (tx) => {
      await lockUser(tx, principal.userId);
      if ((await pq.listPasskeys(tx, principal.userId)).length >= pq.MAX_PASSKEYS_PER_USER) {
        throw new ApiError('conflict', `An account keeps at most ${pq.MAX_PASSKEYS_PER_USER} passkeys. Delete one first.`);
      }
      // A credential id already registered (to anyone) fails the unique index: 409, nothing stored.
      const created = await pq.insertPasskey(
        tx,
        {
          userId: principal.userId,
          credentialId: info.credential.id,
          publicKey: Buffer.from(info.credential.publicKey).toString('base64url'),
          signCount: info.credential.counter,
          transports: info.credential.transports ?? response.response.transports ?? [],
          deviceType: info.credentialDeviceType,
          backedUp: info.credentialBackedUp,
          name: name ?? 'Passkey',
        },
        now,
      );
      await recordUserEvent(tx, c, {
        userId: principal.userId,
        action: 'user.passkey_added',
        at: clock.now(),
        data: { passkeyId: created.id },
      });
      return created;
    });
    return { passkey: presentPasskey(row) };
  });

  bindFrontend(app, deps, ops.listMyPasskeys, async (_input, principal) => ({
    passkeys: (await pq.listPasskeys(db, principal.userId)).map(presentPasskey),
  }));

  bindFrontend(app, deps, ops.renameMyPasskey, async ({ passkeyId, name }, principal) => {
    const row = await pq.renamePasskey(db, principal.userId, passkeyId, name);
    if (!row) throw passkeyNotFound();
    return { passkey: presentPasskey(row) };
  });

  bindFrontend(app, deps, ops.deleteMyPasskey, async ({ passkeyId }, principal, c) => {
    requireRecentAuth(principal, clock.now());
    await db.transaction().execute(async (tx) => {
      await lockUser(tx, principal.userId);
      const user = await getUser(tx, principal.userId);
      const passkeys = await pq.listPasskeys(tx, principal.userId);
      if (!passkeys.some((p) => p.id === passkeyId)) throw passkeyNotFound();
      // The user would lock themself out; the backend may still do it (a reset link gets them back).
      if (user.password_hash === null && passkeys.length === 1) {
        throw new ApiError('conflict', 'This is the last passkey of an account without a password. Set a password first.');
      }
      await pq.deletePasskey(tx, principal.userId, passkeyId);
      await recordUserEvent(tx, c, {
        userId: principal.userId,
        action: 'user.passkey_deleted',
        at: clock.now(),
        data: { passkeyId: passkeyId },
      });
    });
    return { id: passkeyId, deleted: true as const };
  });

  bindBackend(app, deps, ops.listUserPasskeys, async ({ params }) => {
    await getUser(db, params.userId);
    const rows = await pq.listPasskeys(db, params.userId);
    return { data: rows.map(presentPasskey), hasMore: false, nextCursor: null };
  });

  bindBackend(app, deps, ops.renameUserPasskey, async ({ params, body }) => {
    const row = await pq.renamePasskey(db, params.userId, params.passkeyId, body.name);
    if (!row) throw passkeyNotFound();
    return presentPasskey(row);
  });

  bindBackend(app, deps, ops.deleteUserPasskey, async ({ params }, c) => {
    await db.transaction().execute(async (tx) => {
      if (!(await pq.deletePasskey(tx, params.userId, params.passkeyId))) throw passkeyNotFound();
      await recordUserEvent(tx, c, {
        userId: params.userId,
        action: 'user.passkey_deleted',
        at: clock.now(),
        data: { passkeyId: params.passkeyId },
      });
    });
    return { id: params.passkeyId, deleted: true as const };
  });
}
