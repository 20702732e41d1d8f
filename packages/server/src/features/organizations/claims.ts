import type { Db } from '../../db/schema.js';
import { findAccess } from './members-queries.js';

/** The active-organization claims of a session JWT. */
export interface ActiveOrganizationClaims {
  org_id: string;
  org_role: string;
  org_permissions: string[];
}

/**
 * Read fresh from the database on every call (no cache), so a JWT minted after a role change,
 * removal or leave never carries the old role. Undefined when the user is not a member.
 */
export async function activeOrganizationClaims(
  db: Db,
  userId: string,
  organizationId: string,
): Promise<ActiveOrganizationClaims | undefined> {
  const row = await findAccess(db, organizationId, userId);
  if (!row) return undefined;
  return { org_id: organizationId, org_role: row.role_key, org_permissions: row.permissions };
}
