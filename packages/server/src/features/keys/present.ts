import type { SecretKeysTable } from '../../db/tables/users.js';

/** A secret key without its hash. */
export function presentSecretKey(row: SecretKeysTable) {
  return {
    id: row.id,
    name: row.name,
    env: row.env,
    lastFour: row.last_four,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}
