import * as ops from '@gatehouse/contract';
import type { Hono } from 'hono';
import type { Deps } from '../../deps.js';
import { bindFrontend } from '../../http/bind.js';
import type { AppEnv } from '../../http/context.js';
import { ApiError } from '../../http/errors.js';
import { hashPassword, verifyPassword } from '../../security/passwords.js';
import { randomSecret, sha256 } from '../../security/tokens.js';
import { enqueueEmail } from '../email/outbox.js';
import { acceptSecondFactor } from '../mfa/queries.js';
import { markReauthenticated, revokeUserSessions } from '../sessions/queries.js';
import { getUser } from '../users/queries.js';
import { passwordChangedEmail, passwordResetEmail } from './emails.js';
import { findAccountByEmail } from './queries.js';

/** A reset link lives one hour. */
const RESET_TTL_MS = 60 * 60 * 1000;

function primaryEmail(user: Awaited<ReturnType<typeof getUser>>): string | undefined {
  return user.emails.find((e) => e.is_primary)?.email;
}

function findUsableReset(db: Deps['db'], tokenHash: string, now: Date) {
  return db
    .selectFrom('password_resets')
    .select('user_id')
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

function resetLinkInvalid(): ApiError {
  return new ApiError('invalid_request', 'This reset link is not valid any more. Ask for a new one.', [
    { path: 'body.token', message: 'invalid or expired token' },
  ]);
}

/** Password reset, change and re-authentication. */
export function registerPasswordRoutes(app: Hono<AppEnv>, deps: Deps): void {
  const { db, clock, rateLimiter, config } = deps;

  bindFrontend(app, deps, ops.requestPasswordReset, async ({ email }, _principal, c) => {
    await rateLimiter.consume('resetIp', c.get('ip'));
    await rateLimiter.consume('resetEmail', email);
    // Whether the address has an account must not show in the time of the answer either: the
    // look-up and the mail happen after it, so both kinds of address answer after the same work.
    deps.afterResponse.run('password reset request', async () => {
      const account = await findAccountByEmail(db, email);
      if (!account) return;
      const now = clock.now();
      // 128 bits from the CSPRNG; only its SHA-256 is stored. In the fragment, so it never reaches logs.
      const token = randomSecret(16);
      const expiresAt = new Date(now.getTime() + RESET_TTL_MS);
      await db.transaction().execute(async (tx) => {
        await tx
          .insertInto('password_resets')
          .values({
            token_hash: sha256(token),
            user_id: account.userId,
            email_id: account.emailId,
            expires_at: expiresAt,
            used_at: null,
            created_at: now,
          })
          .execute();
        await enqueueEmail(tx, passwordResetEmail(email, `${config.publicUrl}/reset-password#token=${token}`, expiresAt), now);
      });
    });
    // The same answer whether or not the address has an account.
    return { ok: true as const };
  });

  bindFrontend(app, deps, ops.completePasswordReset, async ({ token, password }, _principal, c) => {
    await rateLimiter.consume('resetIp', c.get('ip'));
    const tokenHash = sha256(token);
    // A cheap look-up first, so a made-up token costs no argon2 hash.
    if (!(await findUsableReset(db, tokenHash, clock.now()))) throw resetLinkInvalid();
    const passwordHash = await hashPassword(password);
    const now = clock.now();
    const done = await db.transaction().execute(async (tx) => {
      // One conditional UPDATE makes the token single use, even under concurrent requests.
      const reset = await tx
        .updateTable('password_resets')
        .set({ used_at: now })
        .where('token_hash', '=', tokenHash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .returning(['user_id', 'email_id'])
        .executeTakeFirst();
      if (!reset) return false;
      await tx.updateTable('users').set({ password_hash: passwordHash, updated_at: now }).where('id', '=', reset.user_id).execute();
      // Following the link proved the address.
      await tx.updateTable('user_emails').set({ verified: true }).where('id', '=', reset.email_id).execute();
      await tx
        .updateTable('password_resets')
        .set({ used_at: now })
        .where('user_id', '=', reset.user_id)
        .where('used_at', 'is', null)
        .execute();
      // Whoever knew the old password is out: every session ends, and the reset does not sign in.
      await revokeUserSessions(tx, reset.user_id, now);
      const to = primaryEmail(await getUser(tx, reset.user_id));
      if (to) await enqueueEmail(tx, passwordChangedEmail(to), now);
      return true;
    });
    // Another request used the link between the look-up and here.
    if (!done) throw resetLinkInvalid();
    return { ok: true as const };
  });

  bindFrontend(app, deps, ops.changeMyPassword, async ({ currentPassword, newPassword }, principal) => {
    await rateLimiter.consume('reauthUser', principal.userId);
    const user = await getUser(db, principal.userId);
    if (!(await verifyPassword(user.password_hash, currentPassword)))
      throw new ApiError('invalid_credentials', 'The current password is incorrect.');
    await rateLimiter.reset('reauthUser', principal.userId);
    const passwordHash = await hashPassword(newPassword);
    const now = clock.now();
    await db.transaction().execute(async (tx) => {
      await tx.updateTable('users').set({ password_hash: passwordHash, updated_at: now }).where('id', '=', principal.userId).execute();
      await tx
        .updateTable('password_resets')
        .set({ used_at: now })
        .where('user_id', '=', principal.userId)
        .where('used_at', 'is', null)
        .execute();
      await revokeUserSessions(tx, principal.userId, now, principal.sessionId);
      await markReauthenticated(tx, principal.sessionId, now);
      const to = primaryEmail(user);
      if (to) await enqueueEmail(tx, passwordChangedEmail(to), now);
    });
    return { ok: true as const };
  });

  bindFrontend(app, deps, ops.reauthenticate, async (input, principal) => {
    await rateLimiter.consume('reauthUser', principal.userId);
    const now = clock.now();
    if ('password' in input) {
      const user = await getUser(db, principal.userId);
      if (!(await verifyPassword(user.password_hash, input.password)))
        throw new ApiError('invalid_credentials', 'The password is incorrect.');
    } else if (!(await acceptSecondFactor(db, deps.encryptionKey, principal.userId, input.code, now))) {
      throw new ApiError('invalid_credentials', 'The code is wrong or was already used.');
    }
    await rateLimiter.reset('reauthUser', principal.userId);
    await markReauthenticated(db, principal.sessionId, now);
    return { ok: true as const, reauthenticatedAt: now.toISOString() };
  });
}
