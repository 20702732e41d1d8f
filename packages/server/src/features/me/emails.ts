import * as ops from '@gatehouse/contract';
import type { Hono } from 'hono';
import type { Deps } from '../../deps.js';
import { bindFrontend } from '../../http/bind.js';
import type { AppEnv } from '../../http/context.js';
import { ApiError } from '../../http/errors.js';
import { newId } from '../../security/ids.js';
import { recordUserEvent } from '../audit/record.js';
import { CODE_TTL_MS, consumeCode, countCodeCheck, hashCode, invalidCode, newCode } from '../auth/codes.js';
import { addEmailCodeEmail, addressInUseEmail } from '../auth/emails.js';
import { requireRecentAuth } from '../auth/reauth.js';
import { enqueueEmail } from '../email/outbox.js';
import { listContacts, makeContactPrimary, removeContact } from '../users/contacts.js';
import { presentUser } from '../users/present.js';
import { getUser, lockUser } from '../users/queries.js';

/** Most addresses a user may have waiting for their code at once. */
const MAX_PENDING = 5;

/**
 * Secondary emails. An added address waits in `email_verifications` (not `user_emails`, which is
 * unique across the instance) until its code proves it, so nobody can squat an address.
 */
export function registerMyEmailRoutes(app: Hono<AppEnv>, deps: Deps): void {
  const { db, clock } = deps;
  const me = async (userId: string) => ({ user: presentUser(await getUser(db, userId)) });
  bindFrontend(app, deps, ops.addMyEmail, async ({ email }, principal) => {
    const now = clock.now();
    requireRecentAuth(principal, now);
    await deps.rateLimiter.consume('addEmailUser', principal.userId);
    await deps.rateLimiter.consume('mailAddress', email);
    const id = newId('email', now);
    const expiresAt = new Date(now.getTime() + CODE_TTL_MS);
    await db.transaction().execute(async (tx) => {
      await lockUser(tx, principal.userId);
      const own = await listContacts(tx, 'email', principal.userId);
      if (own.some((e) => e.value === email)) throw new ApiError('conflict', 'This address is already on your account.');
      const pending = await tx
        .selectFrom('email_verifications')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', principal.userId)
        .where('purpose', '=', 'add_email')
        .where('consumed_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirstOrThrow();
      if (Number(pending.n) >= MAX_PENDING) {
        throw new ApiError('conflict', `You have ${MAX_PENDING} addresses waiting for their code. Verify or delete one first.`);
      }
      // Another account's address gets the same answer (no enumeration) and its owner a notice, not a code.
      const taken = await tx.selectFrom('user_emails').select('id').where('email', '=', email).executeTakeFirst();
      const code = taken ? undefined : newCode();
      await tx
        .insertInto('email_verifications')
        .values({
          id,
          purpose: 'add_email',
          email,
          user_id: principal.userId,
          password_hash: null,
          first_name: null,
          last_name: null,
          code_hash: code ? hashCode(deps.encryptionKey, id, code) : null,
          failed_attempts: 0,
          expires_at: expiresAt,
          consumed_at: null,
          created_at: now,
        })
        .execute();
      await enqueueEmail(tx, code ? addEmailCodeEmail(email, code, expiresAt) : addressInUseEmail(email), now);
    });
    return { pendingEmail: { id, email, expiresAt: expiresAt.toISOString() } };
  });

  bindFrontend(app, deps, ops.verifyMyEmail, async ({ emailId, code }, principal, c) => {
    await deps.rateLimiter.consume('verifyIp', c.get('ip'));
    await deps.rateLimiter.consume('verifyAttempt', emailId);
    const address = await countCodeCheck(deps, { id: emailId, purpose: 'add_email' });
    const now = clock.now();
    const verified = await db.transaction().execute(async (tx) => {
      const row = await consumeCode(tx, deps.encryptionKey, { id: emailId, purpose: 'add_email', userId: principal.userId }, code, now);
      if (!row) return false;
      // Only now does the address enter user_emails; if another account proved it meanwhile, the
      // unique index answers 409 and the code's use rolls back with it.
      await tx
        .insertInto('user_emails')
        .values({ id: row.id, user_id: principal.userId, email: row.email, verified: true, is_primary: false, created_at: now })
        .execute();
      await recordUserEvent(tx, c, { userId: principal.userId, action: 'user.email_added', at: clock.now(), data: { emailId: row.id } });
      return true;
    });
    if (!verified) throw invalidCode();
    if (address) await deps.rateLimiter.refund('codeAddress', address);
    return me(principal.userId);
  });

  bindFrontend(app, deps, ops.makeMyEmailPrimary, async ({ emailId }, principal, c) => {
    requireRecentAuth(principal, clock.now());
    await makeContactPrimary(db, 'email', principal.userId, emailId, (tx) =>
      recordUserEvent(tx, c, { userId: principal.userId, action: 'user.email_made_primary', at: clock.now(), data: { emailId: emailId } }),
    );
    return me(principal.userId);
  });

  bindFrontend(app, deps, ops.deleteMyEmail, async ({ emailId }, principal, c) => {
    const now = clock.now();
    requireRecentAuth(principal, now);
    // A pending address is withdrawn; a verified one removed (never the primary: contacts refuses).
    const withdrawn = await db
      .updateTable('email_verifications')
      .set({ consumed_at: now })
      .where('id', '=', emailId)
      .where('user_id', '=', principal.userId)
      .where('purpose', '=', 'add_email')
      .where('consumed_at', 'is', null)
      .executeTakeFirst();
    if (withdrawn.numUpdatedRows === 0n) {
      await removeContact(db, 'email', principal.userId, emailId, (tx) =>
        recordUserEvent(tx, c, { userId: principal.userId, action: 'user.email_deleted', at: clock.now(), data: { emailId: emailId } }),
      );
    }
    return me(principal.userId);
  });
}
