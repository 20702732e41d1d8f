import type { Db } from '../../db/schema.js';
import { activeOrganizationClaims } from '../organizations/claims.js';
import { activeWorkspaceClaims } from '../workspaces/claims.js';

/** The session a JWT is minted for (a UserPrincipal or a looked-up opaque token). */
export interface TokenSession {
  userId: string;
  sessionId: string;
  activeOrganizationId: string | null;
  activeWorkspaceId: string | null;
}

/** The claims Gatehouse puts in a session JWT besides `iss`, `iat` and `exp`. */
export interface SessionClaims {
  sub: string;
  sid: string;
  org_id?: string;
  org_role?: string;
  org_permissions?: string[];
  ws_id?: string;
  ws_role?: string;
  ws_permissions?: string[];
}

/**
 * Build the claims of a session, read fresh from the database each time: a token minted after a
 * role change, removal or leave never carries the old role.
 */
export async function buildSessionClaims(db: Db, session: TokenSession): Promise<SessionClaims> {
  const claims: SessionClaims = { sub: session.userId, sid: session.sessionId };

  // ── Active organization: org_id, org_role, org_permissions (organizations work). A session whose
  // active organization the user has since left carries no org claims rather than stale ones.
  if (session.activeOrganizationId) {
    const org = await activeOrganizationClaims(db, session.userId, session.activeOrganizationId);
    if (org) {
      Object.assign(claims, org);
      // ── Active workspace: only within an organization the user still belongs to.
      if (session.activeWorkspaceId) {
        const ws = await activeWorkspaceClaims(
          db,
          session.userId,
          session.activeOrganizationId,
          session.activeWorkspaceId,
          org.org_permissions,
        );
        if (ws) Object.assign(claims, ws);
      }
    }
  }

  return claims;
}
