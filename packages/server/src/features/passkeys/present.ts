import type { Selectable } from 'kysely';
import type { PasskeysTable } from '../../db/tables/passkeys.js';

/** A passkey as both APIs show it: an allow-list, so the credential id and public key never leave. */
export function presentPasskey(row: Selectable<PasskeysTable>) {
  return {
    id: row.id,
    name: row.name,
    transports: row.transports,
    deviceType: row.device_type,
    backedUp: row.backed_up,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
  };
}
