import { sql } from 'kysely';
import { compiledQuery } from '../../db/compiled.js';
import type { Db } from '../../db/schema.js';
import type { ApiTokensTable } from '../../db/tables/api-tokens.js';

/** A token row with its permissions, sorted. */
export type ApiTokenRow = ApiTokensTable & { permissions: string[] };

/** How often `last_used_at` may be written for one token: at most once per this window. */
export const LAST_USED_WINDOW_MS = 60_000;

function selectTokens(db: Db) {
  return db
    .selectFrom('api_tokens')
    .selectAll('api_tokens')
    .select(
      sql<string[]>`array(select p.permission_key from api_token_permissions p where p.token_id = api_tokens.id order by 1)`.as(
        'permissions',
      ),
    );
}

/** The token with this public key, revoked or not (the caller decides). */
export async function findTokenByKey(db: Db, key: string): Promise<ApiTokenRow | undefined> {
  return (await tokenByKey(db, key))[0];
}

/** Built once: every request with an org token runs it. */
const tokenByKey = compiledQuery((db: Db, key: string) => selectTokens(db).where('api_tokens.key', '=', key));

/** One token of one organization: a token of another organization is not found. */
export function findToken(db: Db, organizationId: string, tokenId: string): Promise<ApiTokenRow | undefined> {
  return selectTokens(db).where('api_tokens.organization_id', '=', organizationId).where('api_tokens.id', '=', tokenId).executeTakeFirst();
}

/** An organization's tokens, newest first (keyset on the (organization_id, id) index). */
export function listTokens(db: Db, organizationId: string, page: { before: string | undefined; limit: number }): Promise<ApiTokenRow[]> {
  let query = selectTokens(db)
    .where('api_tokens.organization_id', '=', organizationId)
    .orderBy('api_tokens.id', 'desc')
    .limit(page.limit + 1);
  if (page.before) query = query.where('api_tokens.id', '<', page.before);
  return query.execute();
}

export async function insertToken(
  db: Db,
  token: Omit<ApiTokensTable, 'last_used_at' | 'revoked_at'>,
  permissions: readonly string[],
): Promise<void> {
  await db.insertInto('api_tokens').values(token).execute();
  const unique = [...new Set(permissions)];
  if (unique.length > 0) {
    await db
      .insertInto('api_token_permissions')
      .values(unique.map((permission_key) => ({ token_id: token.id, permission_key })))
      .execute();
  }
}

/** Revoke once; a second revoke keeps the first time. True when this call revoked it. */
export async function revokeToken(db: Db, tokenId: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('id', '=', tokenId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Record a use, at most once a minute: a token a script calls in a loop must not write on every
 * request. The condition is in the UPDATE, so concurrent requests (or processes) write once between
 * them, with no read-then-write race.
 */
export async function touchToken(db: Db, row: ApiTokenRow, now: Date): Promise<void> {
  if (row.last_used_at && now.getTime() - row.last_used_at.getTime() < LAST_USED_WINDOW_MS) return;
  const since = new Date(now.getTime() - LAST_USED_WINDOW_MS);
  await db
    .updateTable('api_tokens')
    .set({ last_used_at: now })
    .where('id', '=', row.id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<=', since)]))
    .execute();
}

/** The permissions of the `member` system role, expanded: a new token's default. */
export async function memberRolePermissions(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('role_grants')
    .select('permission_key')
    .where('role_id', '=', 'role_member')
    .orderBy('permission_key')
    .execute();
  return rows.map((r) => r.permission_key);
}
