import type { ApiTokenRow } from './queries.js';

/** A token without its hash; the secret is never stored, so it cannot leak from here. */
export function presentApiToken(row: ApiTokenRow) {
  return {
    id: row.id,
    organizationId: row.organization_id,
    name: row.name,
    env: row.env,
    key: row.key,
    lastFour: row.last_four,
    permissions: row.permissions,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    expiresAt: row.expires_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}
