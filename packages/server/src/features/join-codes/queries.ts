import { sql } from 'kysely';
import { compiledQuery } from '../../db/compiled.js';
import type { Db } from '../../db/schema.js';

/** Join codes with their role's key, scoped to an organization by every caller. */
function selectJoinCodes(db: Db) {
  return db
    .selectFrom('join_codes as j')
    .innerJoin('roles as r', 'r.id', 'j.role_id')
    .select([
      'j.id',
      'j.organization_id',
      'j.role_id',
      'j.role_scope',
      'r.key as role_key',
      'j.max_uses',
      'j.uses',
      'j.expires_at',
      'j.revoked_at',
      'j.created_at',
    ]);
}

export type JoinCodeRow = Awaited<ReturnType<typeof findJoinCode>> & {};

/** A join code by id, only within the given organization (another organization's id is "not found"). */
export async function findJoinCode(db: Db, organizationId: string, id: string) {
  return (await joinCodeById(db, organizationId, id))[0];
}

/** A join code by the hash of its code: the only lookup that does not start from an organization. */
export async function findJoinCodeByHash(db: Db, codeHash: string) {
  return (await joinCodeByHash(db, codeHash))[0];
}

// Built once: every join runs both.
const joinCodeById = compiledQuery((db: Db, organizationId: string, id: string) =>
  selectJoinCodes(db).where('j.organization_id', '=', organizationId).where('j.id', '=', id),
);
const joinCodeByHash = compiledQuery((db: Db, codeHash: string) => selectJoinCodes(db).where('j.code_hash', '=', codeHash));

/** One keyset page (limit + 1 rows) of an organization's join codes, newest first. */
export function listJoinCodes(db: Db, organizationId: string, filter: { before?: string | undefined; limit: number }) {
  let query = selectJoinCodes(db)
    .where('j.organization_id', '=', organizationId)
    .orderBy('j.id', 'desc')
    .limit(filter.limit + 1);
  if (filter.before) query = query.where('j.id', '<', filter.before);
  return query.execute();
}

export interface NewJoinCode {
  id: string;
  organizationId: string;
  codeHash: string;
  role: { id: string; organization_id: string | null };
  maxUses: number | null;
  expiresAt: Date | null;
  createdBy: { type: 'user' | 'admin' | 'token'; id: string };
}

export async function insertJoinCode(db: Db, code: NewJoinCode, now: Date): Promise<void> {
  await db
    .insertInto('join_codes')
    .values({
      id: code.id,
      organization_id: code.organizationId,
      code_hash: code.codeHash,
      role_id: code.role.id,
      role_scope: code.role.organization_id ?? 'system',
      max_uses: code.maxUses,
      expires_at: code.expiresAt,
      created_by_type: code.createdBy.type,
      created_by_id: code.createdBy.id,
      created_at: now,
    })
    .execute();
}

/** Mark a code revoked; false when it already was (revoking is idempotent). */
export async function markJoinCodeRevoked(db: Db, id: string, now: Date): Promise<boolean> {
  const row = await db
    .updateTable('join_codes')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Count one use, only while the code is usable: ONE conditional update, so the database settles
 * concurrent joins and `uses` can never pass `max_uses` (a read-compare-write over-redeemed on
 * PostgreSQL). False when the code was not usable any more.
 */
export async function consumeJoinCode(db: Db, id: string, now: Date): Promise<boolean> {
  const row = await db
    .updateTable('join_codes')
    .set({ uses: sql`uses + 1` })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('max_uses', 'is', null), eb('uses', '<', eb.ref('max_uses'))]))
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}
