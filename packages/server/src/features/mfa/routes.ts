import * as ops from '@gatehouse/contract';
import type { Hono } from 'hono';
import QRCode from 'qrcode';
import type { Db } from '../../db/schema.js';
import type { Deps } from '../../deps.js';
import { bindBackend, bindFrontend } from '../../http/bind.js';
import type { AppEnv } from '../../http/context.js';
import { ApiError } from '../../http/errors.js';
import { newTotpSecret, normalizeTotpSecret, TotpSecretError, totpUrl } from '../../security/totp.js';
import { recordUserEvent } from '../audit/record.js';
import { requireRecentAuth } from '../auth/reauth.js';
import { presentUser } from '../users/present.js';
import { getUser, lockUser } from '../users/queries.js';
import * as mq from './queries.js';

function authenticatorExists(): ApiError {
  return new ApiError('authenticator_exists', 'This user already has an active authenticator. Delete it first to enrol a new one.');
}

/** The label an app shows for the account when none is given: the primary email, else the user id. */
async function defaultAccountName(db: Db, userId: string): Promise<string> {
  const user = await getUser(db, userId);
  return user.emails.find((e) => e.is_primary)?.email ?? user.id;
}

/** Second factors: TOTP authenticators and backup codes, for the backend and for the user. */
export function registerMfaRoutes(app: Hono<AppEnv>, deps: Deps): void {
  const { db, clock, encryptionKey: key, config } = deps;
  // What the authenticator app shows above the account name.
  const issuer = new URL(config.publicUrl).hostname;

  bindBackend(app, deps, ops.createAuthenticator, async ({ params, body }, c) => {
    let secret: string;
    try {
      secret = normalizeTotpSecret(body.secret);
    } catch (error) {
      if (!(error instanceof TotpSecretError)) throw error;
      throw new ApiError('invalid_request', `The secret ${error.message}.`, [{ path: 'body.secret', message: error.message }]);
    }
    const accountName = body.accountName ?? (await defaultAccountName(db, params.userId));
    const now = clock.now();
    const id = await db.transaction().execute(async (tx) => {
      await lockUser(tx, params.userId);
      if (await mq.findActiveAuthenticator(tx, params.userId)) throw authenticatorExists();
      // An enrolment the user had started is replaced by the admin's authenticator.
      await tx.deleteFrom('totp_authenticators').where('user_id', '=', params.userId).where('verified_at', 'is', null).execute();
      const created = await mq.insertAuthenticator(tx, key, { userId: params.userId, secret, accountName, verified: true }, now);
      await recordUserEvent(tx, c, { userId: params.userId, action: 'user.totp_enabled', at: clock.now() });
      return created;
    });
    return { id, otpUrl: totpUrl(secret, accountName, issuer) };
  });

  bindBackend(app, deps, ops.deleteAuthenticator, async ({ params }, c) => {
    const deleted = await db.transaction().execute(async (tx) => {
      await lockUser(tx, params.userId);
      const gone = await tx.deleteFrom('totp_authenticators').where('user_id', '=', params.userId).executeTakeFirst();
      const any = Number(gone.numDeletedRows) > 0;
      if (any) await recordUserEvent(tx, c, { userId: params.userId, action: 'user.totp_disabled', at: clock.now() });
      return any;
    });
    return { deleted };
  });

  bindBackend(app, deps, ops.regenerateBackupCodes, async ({ params }, c) => {
    const backupCodes = await db.transaction().execute(async (tx) => {
      await lockUser(tx, params.userId);
      const codes = await mq.replaceBackupCodes(tx, key, params.userId, clock.now());
      await recordUserEvent(tx, c, { userId: params.userId, action: 'user.backup_codes_regenerated', at: clock.now() });
      return codes;
    });
    return { backupCodes };
  });

  bindFrontend(app, deps, ops.enrollTotp, async (_input, principal) => {
    const now = clock.now();
    requireRecentAuth(principal, now);
    const secret = newTotpSecret();
    const accountName = await defaultAccountName(db, principal.userId);
    await db.transaction().execute(async (tx) => {
      await lockUser(tx, principal.userId);
      if (await mq.findActiveAuthenticator(tx, principal.userId)) throw authenticatorExists();
      await tx.deleteFrom('totp_authenticators').where('user_id', '=', principal.userId).where('verified_at', 'is', null).execute();
      await mq.insertAuthenticator(tx, key, { userId: principal.userId, secret, accountName, verified: false }, now);
    });
    const otpUrl = totpUrl(secret, accountName, issuer);
    return { secret, otpUrl, qrSvg: await QRCode.toString(otpUrl, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }) };
  });

  bindFrontend(app, deps, ops.verifyTotp, async ({ code }, principal, c) => {
    await deps.rateLimiter.consume('reauthUser', principal.userId);
    const now = clock.now();
    const verified = await db.transaction().execute(async (tx) => {
      await lockUser(tx, principal.userId);
      const enrolling = await mq.findEnrollingAuthenticator(tx, principal.userId);
      if (!enrolling || !(await mq.acceptTotpCode(tx, key, enrolling, code, now))) return false;
      await recordUserEvent(tx, c, { userId: principal.userId, action: 'user.totp_enabled', at: clock.now() });
      return true;
    });
    if (!verified) {
      throw new ApiError('invalid_request', 'The code is wrong, or no enrolment is waiting. Check the app’s clock, or enrol again.', [
        { path: 'body.code', message: 'wrong code' },
      ]);
    }
    await deps.rateLimiter.reset('reauthUser', principal.userId);
    return { user: presentUser(await getUser(db, principal.userId)) };
  });

  bindFrontend(app, deps, ops.deleteTotp, async (_input, principal, c) => {
    requireRecentAuth(principal, clock.now());
    await db.transaction().execute(async (tx) => {
      await lockUser(tx, principal.userId);
      const gone = await tx.deleteFrom('totp_authenticators').where('user_id', '=', principal.userId).executeTakeFirst();
      if (Number(gone.numDeletedRows) > 0)
        await recordUserEvent(tx, c, { userId: principal.userId, action: 'user.totp_disabled', at: clock.now() });
    });
    return { user: presentUser(await getUser(db, principal.userId)) };
  });

  bindFrontend(app, deps, ops.regenerateMyBackupCodes, async (_input, principal, c) => {
    requireRecentAuth(principal, clock.now());
    const backupCodes = await db.transaction().execute(async (tx) => {
      await lockUser(tx, principal.userId);
      const codes = await mq.replaceBackupCodes(tx, key, principal.userId, clock.now());
      await recordUserEvent(tx, c, { userId: principal.userId, action: 'user.backup_codes_regenerated', at: clock.now() });
      return codes;
    });
    return { backupCodes };
  });
}
