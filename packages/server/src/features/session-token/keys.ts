import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { type Kysely, type Selectable, sql } from 'kysely';
import type { Database, Db } from '../../db/schema.js';
import type { SigningKeysTable } from '../../db/tables/email.js';
import { ApiError } from '../../http/errors.js';
import { encrypt } from '../../security/encryption.js';
import { newId } from '../../security/ids.js';

/** The algorithm of new signing keys: Ed25519 signatures, small and fast, no nonce to get wrong. */
export const SIGNING_ALG = 'EdDSA' as const;

/**
 * How long a retired key stays in the JWKS, so tokens signed just before a rotation (and JWKS
 * caches of verifiers) keep working. Always longer than any token's lifetime.
 */
export function retiredKeyGraceMs(tokenTtlSeconds: number): number {
  return Math.max(24 * 3600_000, 2 * tokenTtlSeconds * 1000);
}

/** A signing key row. */
export type SigningKeyRow = Selectable<SigningKeysTable>;

/** Same value as the migration's advisory lock convention: one number per purpose. */
const SIGNING_KEY_LOCK = 727275;

/** The AAD of a key's ciphertext: its id, so a private key moved to another row does not decrypt. */
export function privateKeyContext(kid: string): string {
  return `signing_key:${kid}`;
}

async function insertNewKey(db: Db, encryptionKey: Buffer, now: Date): Promise<SigningKeyRow> {
  const id = newId('signingKey', now);
  const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid: id, alg: SIGNING_ALG, use: 'sig' };
  const privateJwk = await exportJWK(privateKey);
  return db
    .insertInto('signing_keys')
    .values({
      id,
      alg: SIGNING_ALG,
      public_jwk: JSON.stringify(publicJwk),
      private_key_encrypted: encrypt(encryptionKey, JSON.stringify(privateJwk), privateKeyContext(id)),
      status: 'active',
      created_at: now,
      retired_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findActiveSigningKey(db: Db) {
  return db.selectFrom('signing_keys').selectAll().where('status', '=', 'active').executeTakeFirst();
}

/** Every key, newest first (keyset on the id), for the backend list. */
export function listSigningKeys(db: Db, after: string | undefined, limit: number) {
  let query = db
    .selectFrom('signing_keys')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(limit + 1);
  if (after) query = query.where('id', '<', after);
  return query.execute();
}

/** The active key, and retired keys still in their grace period and not revoked: what the JWKS publishes. */
export function listPublishedSigningKeys(db: Db, now: Date, graceMs: number) {
  return db
    .selectFrom('signing_keys')
    .selectAll()
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('status', '=', 'active'), eb('retired_at', '>', new Date(now.getTime() - graceMs))]))
    .orderBy('id', 'desc')
    .execute();
}

/**
 * The active key, made on first use. The advisory lock (and the one-active unique index behind
 * it) keeps two processes starting together from making two.
 */
export async function ensureActiveSigningKey(db: Kysely<Database>, encryptionKey: Buffer, now: Date): Promise<SigningKeyRow> {
  const existing = await findActiveSigningKey(db);
  if (existing) return existing;
  return db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(${SIGNING_KEY_LOCK})`.execute(tx);
    return (await findActiveSigningKey(tx)) ?? (await insertNewKey(tx, encryptionKey, now));
  });
}

/**
 * Make a new active key and retire the old one, in one transaction. The retired key stays in the
 * JWKS for its grace period; every process picks up the new key within seconds.
 */
export async function rotateSigningKey(
  db: Kysely<Database>,
  encryptionKey: Buffer,
  now: Date,
): Promise<{ active: SigningKeyRow; retired: SigningKeyRow | undefined }> {
  return db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(${SIGNING_KEY_LOCK})`.execute(tx);
    const retired = await tx
      .updateTable('signing_keys')
      .set({ status: 'retired', retired_at: now })
      .where('status', '=', 'active')
      .returningAll()
      .executeTakeFirst();
    const active = await insertNewKey(tx, encryptionKey, now);
    return { active, retired };
  });
}

/**
 * Revoke a retired key: it leaves the JWKS, and tokens it signed stop verifying, at once (other
 * processes within their key cache's few seconds). Revoking again changes nothing. Undefined for an
 * unknown id; the active key is refused (409): rotate first, or nothing could sign.
 */
export async function revokeSigningKey(db: Db, keyId: string, now: Date): Promise<SigningKeyRow | undefined> {
  const row = await db.selectFrom('signing_keys').selectAll().where('id', '=', keyId).executeTakeFirst();
  if (!row || row.revoked_at !== null) return row;
  if (row.status === 'active') {
    throw new ApiError('conflict', 'This is the active signing key. Rotate the signing key first, then revoke this one.');
  }
  return db.updateTable('signing_keys').set({ revoked_at: now }).where('id', '=', keyId).returningAll().executeTakeFirstOrThrow();
}
