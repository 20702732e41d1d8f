import * as ops from '@gatehouse/contract';
import type { Context, Hono } from 'hono';
import type { Deps } from '../../deps.js';
import { bindFrontend } from '../../http/bind.js';
import type { AppEnv, Principal } from '../../http/context.js';
import { ApiError } from '../../http/errors.js';
import { newId } from '../../security/ids.js';
import { hashPassword, verifyPassword } from '../../security/passwords.js';
import { enqueueEmail } from '../email/outbox.js';
import { acceptSecondFactor, secondFactorsOf } from '../mfa/queries.js';
import { createSession, revokeSession } from '../sessions/queries.js';
import { issueSessionToken } from '../sessions/transport.js';
import { presentUser } from '../users/present.js';
import { getUser, insertUser } from '../users/queries.js';
import { CODE_TTL_MS, consumeCode, countCodeCheck, hashCode, invalidCode, MAX_CODE_ATTEMPTS, newCode } from './codes.js';
import { existingAccountEmail, signUpCodeEmail } from './emails.js';
import { emailTaken, findAccountByEmail } from './queries.js';

/** A sign-in waits this long for its second factor. */
export const SECOND_FACTOR_TTL_MS = 5 * 60 * 1000;

/** One answer for an unknown email, a wrong password and an unverified email: nothing to enumerate. */
function invalidCredentials(): ApiError {
  return new ApiError('invalid_credentials', 'The email or password is incorrect.');
}

/**
 * Finish a sign-in: a new session (never a reused one, so a planted token gains nothing), handed
 * over as a cookie or a header; the session the request came with, if any, is ended.
 */
export async function completeSignIn(c: Context<AppEnv>, deps: Deps, userId: string, previous: Principal | undefined) {
  const now = deps.clock.now();
  const { row, token } = await deps.db.transaction().execute(async (tx) => {
    if (previous?.type === 'user') await revokeSession(tx, previous.userId, previous.sessionId, now);
    return createSession(
      tx,
      deps.config,
      { userId, ip: c.get('ip'), userAgent: c.req.header('user-agent') ?? null, reauthenticatedAt: now },
      now,
    );
  });
  issueSessionToken(c, deps.config, token);
  c.set('envelopeSession', { id: row.id, userId, activeOrganizationId: null, activeWorkspaceId: null });
  return { status: 'complete' as const, user: presentUser(await getUser(deps.db, userId)) };
}

export function registerSignInRoutes(app: Hono<AppEnv>, deps: Deps): void {
  const { db, clock, rateLimiter } = deps;

  bindFrontend(app, deps, ops.signIn, async ({ email, password }, principal, c) => {
    const ip = c.get('ip');
    await rateLimiter.consume('signInIp', ip);
    await rateLimiter.consume('signInAccount', email);
    const account = await findAccountByEmail(db, email);
    // verifyPassword runs argon2 even without an account (a dummy hash), so timing reveals nothing.
    const passwordOk = await verifyPassword(account?.passwordHash, password);
    // An unverified address (only the backend can make one) cannot sign in, and says so no differently.
    if (!account || !passwordOk || !account.verified) throw invalidCredentials();
    await rateLimiter.reset('signInAccount', email);
    await rateLimiter.refund('signInIp', ip);
    const factors = await secondFactorsOf(db, account.userId);
    if (factors.length === 0) return completeSignIn(c, deps, account.userId, principal);
    // The password was right; no session until a second factor is given for this attempt.
    const now = clock.now();
    const attemptId = newId('signInAttempt', now);
    await db
      .insertInto('second_factor_attempts')
      .values({
        id: attemptId,
        user_id: account.userId,
        expires_at: new Date(now.getTime() + SECOND_FACTOR_TTL_MS),
        consumed_at: null,
        created_at: now,
      })
      .execute();
    return { status: 'needs_second_factor' as const, attemptId, factors };
  });

  bindFrontend(app, deps, ops.secondFactor, async ({ attemptId, code }, principal, c) => {
    await rateLimiter.consume('verifyIp', c.get('ip'));
    await rateLimiter.consume('verifyAttempt', attemptId);
    const now = clock.now();
    const outcome = await db.transaction().execute(async (tx) => {
      // Locked: two requests with the right code cannot both finish the attempt.
      const attempt = await tx.selectFrom('second_factor_attempts').selectAll().where('id', '=', attemptId).forUpdate().executeTakeFirst();
      if (!attempt || attempt.consumed_at || attempt.expires_at <= now || attempt.failed_attempts >= MAX_CODE_ATTEMPTS) return undefined;
      await rateLimiter.consume('secondFactorUser', attempt.user_id);
      if (!(await acceptSecondFactor(tx, deps.encryptionKey, attempt.user_id, code, now))) {
        await tx
          .updateTable('second_factor_attempts')
          .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
          .where('id', '=', attemptId)
          .execute();
        return undefined;
      }
      await tx.updateTable('second_factor_attempts').set({ consumed_at: now }).where('id', '=', attemptId).execute();
      return attempt.user_id;
    });
    // A wrong code was counted (committed) before this answer.
    if (!outcome)
      throw new ApiError(
        'invalid_credentials',
        'The code is wrong or was already used, or this sign-in expired. Sign in again if it keeps failing.',
      );
    await rateLimiter.refund('secondFactorUser', outcome);
    return completeSignIn(c, deps, outcome, principal);
  });

  bindFrontend(app, deps, ops.signUp, async ({ email, password, firstName, lastName }, _principal, c) => {
    await rateLimiter.consume('signUpIp', c.get('ip'));
    // Each attempt mails the address: limited per address too, whichever IPs the requests come from.
    await rateLimiter.consume('mailAddress', email);
    // Hashed on both paths, so an existing address answers in the same time as a new one.
    const passwordHash = await hashPassword(password);
    const now = clock.now();
    const attemptId = newId('signInAttempt', now);
    const expiresAt = new Date(now.getTime() + CODE_TTL_MS);
    await db.transaction().execute(async (tx) => {
      const taken = await emailTaken(tx, email);
      const code = taken ? undefined : newCode();
      await tx
        .insertInto('email_verifications')
        .values({
          id: attemptId,
          purpose: 'sign_up',
          email,
          user_id: null,
          password_hash: passwordHash,
          first_name: firstName ?? null,
          last_name: lastName ?? null,
          code_hash: code ? hashCode(deps.encryptionKey, attemptId, code) : null,
          failed_attempts: 0,
          expires_at: expiresAt,
          consumed_at: null,
          created_at: now,
        })
        .execute();
      await enqueueEmail(tx, code ? signUpCodeEmail(email, code, expiresAt) : existingAccountEmail(email, deps.config), now);
    });
    return { status: 'needs_email_verification' as const, attemptId };
  });

  bindFrontend(app, deps, ops.verifyEmail, async ({ attemptId, code }, principal, c) => {
    await rateLimiter.consume('verifyIp', c.get('ip'));
    await rateLimiter.consume('verifyAttempt', attemptId);
    const address = await countCodeCheck(deps, { id: attemptId, purpose: 'sign_up' });
    const now = clock.now();
    const userId = await db.transaction().execute(async (tx) => {
      const row = await consumeCode(tx, deps.encryptionKey, { id: attemptId, purpose: 'sign_up' }, code, now);
      if (!row) return undefined;
      // The address is proven only now, so only now does the user exist. If someone else proved it
      // first, the unique index answers 409 and this transaction (and the code's use) rolls back.
      const user = await insertUser(
        tx,
        { email: row.email, emailVerified: true, passwordHash: row.password_hash, firstName: row.first_name, lastName: row.last_name },
        now,
      );
      return user.id;
    });
    // A wrong code was counted (committed) before this answer.
    if (!userId) throw invalidCode();
    if (address) await rateLimiter.refund('codeAddress', address);
    return completeSignIn(c, deps, userId, principal);
  });
}
