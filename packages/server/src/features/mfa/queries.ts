import { createHmac, randomBytes } from 'node:crypto';
import type { Db } from '../../db/schema.js';
import { decrypt, encrypt } from '../../security/encryption.js';
import { newId } from '../../security/ids.js';
import { base32 } from '../../security/tokens.js';
import { totpStep } from '../../security/totp.js';

/** How many backup codes a user gets at a time. */
export const BACKUP_CODE_COUNT = 10;

/** A backup code as typed: case, spaces and dashes do not matter. */
export function normalizeBackupCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, '');
}

/** 10 characters of Crockford base32 (50 bits), shown as `xxxxx-xxxxx`. */
function newBackupCode(): string {
  const code = base32(randomBytes(7)).slice(0, 10);
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** Backup codes are stored as an HMAC under the instance key, bound to their user: a leaked table gives nothing to try. */
function hashBackupCode(key: Buffer, userId: string, code: string): string {
  return createHmac('sha256', key)
    .update(`backup:${userId}:${normalizeBackupCode(code)}`)
    .digest('hex');
}

/** Replace every backup code of the user with 10 new ones; returns them (the only time they are shown). */
export async function replaceBackupCodes(tx: Db, key: Buffer, userId: string, now: Date): Promise<string[]> {
  const codes = Array.from({ length: BACKUP_CODE_COUNT }, newBackupCode);
  await tx.deleteFrom('backup_codes').where('user_id', '=', userId).execute();
  await tx
    .insertInto('backup_codes')
    .values(codes.map((code) => ({ user_id: userId, code_hash: hashBackupCode(key, userId, code), used_at: null, created_at: now })))
    .execute();
  return codes;
}

/** Use up one backup code: true when it was unused (one conditional UPDATE, so it works once under concurrency). */
export async function consumeBackupCode(db: Db, key: Buffer, userId: string, code: string, now: Date): Promise<boolean> {
  const used = await db
    .updateTable('backup_codes')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hashBackupCode(key, userId, code))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(used.numUpdatedRows) === 1;
}

export function findActiveAuthenticator(db: Db, userId: string) {
  return db
    .selectFrom('totp_authenticators')
    .selectAll()
    .where('user_id', '=', userId)
    .where('verified_at', 'is not', null)
    .executeTakeFirst();
}

export function findEnrollingAuthenticator(db: Db, userId: string) {
  return db.selectFrom('totp_authenticators').selectAll().where('user_id', '=', userId).where('verified_at', 'is', null).executeTakeFirst();
}

/** Store an authenticator (active at once when `verified`, else waiting for its first code). */
export async function insertAuthenticator(
  tx: Db,
  key: Buffer,
  input: { userId: string; secret: string; accountName: string; verified: boolean },
  now: Date,
): Promise<string> {
  const id = newId('authenticator', now);
  await tx
    .insertInto('totp_authenticators')
    .values({
      id,
      user_id: input.userId,
      secret_encrypted: encrypt(key, input.secret, id),
      account_name: input.accountName,
      verified_at: input.verified ? now : null,
      last_used_step: null,
      created_at: now,
    })
    .execute();
  return id;
}

/**
 * Check a TOTP code against an authenticator and, when right, record its step, in one conditional
 * UPDATE: a code (or an older one) is accepted once, also by concurrent requests and across
 * processes. Enrolment's first code activates the authenticator in the same statement.
 */
export async function acceptTotpCode(
  db: Db,
  key: Buffer,
  row: { id: string; secret_encrypted: string },
  code: string,
  now: Date,
): Promise<boolean> {
  const step = totpStep(decrypt(key, row.secret_encrypted, row.id), code, now);
  if (step === undefined) return false;
  const accepted = await db
    .updateTable('totp_authenticators')
    .set((eb) => ({ last_used_step: step, verified_at: eb.fn.coalesce('verified_at', eb.val(now)) }))
    .where('id', '=', row.id)
    .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', step)]))
    .executeTakeFirst();
  return Number(accepted.numUpdatedRows) === 1;
}

/** A TOTP code of the user's active authenticator, or one of their backup codes (used up). */
export async function acceptSecondFactor(db: Db, key: Buffer, userId: string, code: string, now: Date): Promise<boolean> {
  const compact = code.replace(/\s+/g, '');
  if (/^\d{6}$/.test(compact)) {
    const authenticator = await findActiveAuthenticator(db, userId);
    return authenticator !== undefined && acceptTotpCode(db, key, authenticator, compact, now);
  }
  return consumeBackupCode(db, key, userId, code, now);
}

/** What sign-in may ask for: empty when the user has no active authenticator. */
export async function secondFactorsOf(db: Db, userId: string): Promise<('totp' | 'backup_code')[]> {
  if (!(await findActiveAuthenticator(db, userId))) return [];
  const left = await db
    .selectFrom('backup_codes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(left.n) > 0 ? ['totp', 'backup_code'] : ['totp'];
}
