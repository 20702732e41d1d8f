import { createHmac, randomInt } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { EmailVerificationsTable } from '../../db/tables/auth.js';
import type { Deps } from '../../deps.js';
import { ApiError } from '../../http/errors.js';
import { secretsEqual } from '../../security/tokens.js';

/** A code lives 10 minutes and allows this many wrong tries; then a new one must be requested. */
export const CODE_TTL_MS = 10 * 60 * 1000;
export const MAX_CODE_ATTEMPTS = 5;

/** A 6-digit code from the CSPRNG. */
export function newCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/**
 * Codes have only 20 bits, so a plain hash would fall to a brute force of a leaked table: they are
 * stored as an HMAC keyed with the instance's encryption key and bound to their attempt id.
 */
export function hashCode(key: Buffer, id: string, code: string): string {
  return createHmac('sha256', key).update(`${id}:${code}`).digest('hex');
}

/** One answer for every way a code can fail, so nothing is learned from which. */
export function invalidCode(): ApiError {
  return new ApiError('invalid_request', 'The code is wrong or has expired. Check the latest email, or ask for a new code.', [
    { path: 'body.code', message: 'wrong or expired code' },
  ]);
}

/**
 * Count a code check against the address its attempt is for, whichever attempt and IP it comes
 * from: the per-attempt limit alone would let a guesser open attempts for a stranger's address
 * from many IPs. Throws 429 once over; returns the address (undefined for an unknown attempt) so
 * a right code can give its point back.
 */
export async function countCodeCheck(
  deps: Pick<Deps, 'db' | 'rateLimiter'>,
  lookup: { id: string; purpose: EmailVerificationsTable['purpose'] },
): Promise<string | undefined> {
  const row = await deps.db
    .selectFrom('email_verifications')
    .select('email')
    .where('id', '=', lookup.id)
    .where('purpose', '=', lookup.purpose)
    .executeTakeFirst();
  if (row) await deps.rateLimiter.consume('codeAddress', row.email);
  return row?.email;
}

/**
 * Check a code inside the caller's transaction. The row is locked, so two concurrent right answers
 * cannot both consume it. Returns the row (now consumed) or `undefined` for a wrong, expired, used
 * or exhausted code; a wrong code counts as an attempt, so the caller must COMMIT before failing.
 */
export async function consumeCode(
  tx: Transaction<Database>,
  key: Buffer,
  lookup: { id: string; purpose: EmailVerificationsTable['purpose']; userId?: string },
  code: string,
  now: Date,
): Promise<EmailVerificationsTable | undefined> {
  let query = tx.selectFrom('email_verifications').selectAll().where('id', '=', lookup.id).where('purpose', '=', lookup.purpose);
  if (lookup.userId) query = query.where('user_id', '=', lookup.userId);
  const row = await query.forUpdate().executeTakeFirst();
  if (!row || row.consumed_at || row.expires_at <= now || row.failed_attempts >= MAX_CODE_ATTEMPTS) return undefined;
  // A notice was mailed instead of a code (the address has an account): nothing ever matches.
  const right = row.code_hash !== null && secretsEqual(hashCode(key, row.id, code), row.code_hash);
  if (!right) {
    await tx
      .updateTable('email_verifications')
      .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
      .where('id', '=', row.id)
      .execute();
    return undefined;
  }
  await tx.updateTable('email_verifications').set({ consumed_at: now }).where('id', '=', row.id).execute();
  return { ...row, consumed_at: now };
}
