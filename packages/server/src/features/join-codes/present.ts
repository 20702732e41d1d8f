import type { JoinCodeRow } from './queries.js';

type Status = 'active' | 'revoked' | 'expired' | 'exhausted';

/** A code's status at `now`: revoked wins, then used up, then expired. */
export function joinCodeStatus(row: JoinCodeRow, now: Date): Status {
  if (row.revoked_at !== null) return 'revoked';
  if (row.max_uses !== null && row.uses >= row.max_uses) return 'exhausted';
  if (row.expires_at !== null && row.expires_at.getTime() <= now.getTime()) return 'expired';
  return 'active';
}

/** The public fields of a join code: never its hash, nor who made it (that is in the audit log). */
export function presentJoinCode(row: JoinCodeRow, now: Date) {
  return {
    id: row.id,
    organizationId: row.organization_id,
    role: row.role_key,
    roleId: row.role_id,
    maxUses: row.max_uses,
    uses: row.uses,
    status: joinCodeStatus(row, now),
    expiresAt: row.expires_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}
