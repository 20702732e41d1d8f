import { type Kysely, sql } from 'kysely';
import type { Database, Db } from '../../db/schema.js';
import { newId } from '../../security/ids.js';
import { randomSecret, sha256 } from '../../security/tokens.js';

/** Make a new secret key: `sk_<env>_` + 256 random bits. Only its hash is stored. */
export async function insertSecretKey(db: Db, input: { name: string; env: 'live' | 'test' }, now: Date) {
  const secret = `sk_${input.env}_${randomSecret(32)}`;
  const row = await db
    .insertInto('secret_keys')
    .values({
      id: newId('secretKey', now),
      name: input.name,
      env: input.env,
      secret_hash: sha256(secret),
      last_four: secret.slice(-4),
      created_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { row, secret };
}

/** Looked up by hash, so the comparison leaks nothing through timing. */
export function findActiveSecretKey(db: Db, secret: string) {
  return db
    .selectFrom('secret_keys')
    .selectAll()
    .where('secret_hash', '=', sha256(secret))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

/** Keys, newest first (keyset on the id). */
export function listSecretKeys(db: Db, after: string | undefined, limit: number) {
  let query = db
    .selectFrom('secret_keys')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(limit + 1);
  if (after) query = query.where('id', '<', after);
  return query.execute();
}

export function findSecretKey(db: Db, id: string) {
  return db.selectFrom('secret_keys').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Revoke once; later calls keep the first revocation time (idempotent). */
export function revokeSecretKey(db: Db, id: string, now: Date) {
  return db
    .updateTable('secret_keys')
    .set({ revoked_at: sql<Date>`coalesce(revoked_at, ${now})` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/** Record use, at most once a minute, so hot keys do not write on every request. */
export async function touchSecretKey(db: Db, id: string, lastUsedAt: Date | null, now: Date) {
  if (lastUsedAt && now.getTime() - lastUsedAt.getTime() < 60_000) return;
  await db.updateTable('secret_keys').set({ last_used_at: now }).where('id', '=', id).execute();
}

/**
 * At first start, when no key was ever made, make one and return its secret to print once. The
 * advisory lock keeps two processes starting together from both making one.
 */
export function createInitialKey(db: Kysely<Database>, now: Date): Promise<string | undefined> {
  return db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(727274)`.execute(tx);
    const any = await tx.selectFrom('secret_keys').select('id').limit(1).executeTakeFirst();
    if (any) return undefined;
    const { secret } = await insertSecretKey(tx, { name: 'Initial key', env: 'live' }, now);
    return secret;
  });
}
