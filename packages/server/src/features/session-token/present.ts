import type { SigningKeyRow } from './keys.js';

/** A signing key without its key material: allow-listed fields, so the private key cannot leak. */
export function presentSigningKey(row: SigningKeyRow, graceMs: number) {
  return {
    id: row.id,
    alg: row.alg,
    status: row.status,
    createdAt: row.created_at.toISOString(),
    retiredAt: row.retired_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    publishedUntil: row.revoked_at
      ? row.revoked_at.toISOString()
      : row.retired_at
        ? new Date(row.retired_at.getTime() + graceMs).toISOString()
        : null,
  };
}
