import type { Context } from 'hono';
import type { Deps } from '../../deps.js';
import type { AppEnv, TokenPrincipal, UserPrincipal } from '../../http/context.js';
import { ApiError } from '../../http/errors.js';
import { looksLikeOrgToken, verifyBearer } from '../api-tokens/api-tokens.js';
import { findSessionByToken } from '../sessions/lookup.js';
import type { SessionRow } from '../sessions/queries.js';
import { clearSessionToken, readCredential } from '../sessions/transport.js';

/**
 * The sign-in family (`/v1/auth/*`) treats a dead credential as no credential: a client whose
 * token expired must still be able to sign in again, and a browser cannot drop an HttpOnly cookie
 * by itself. Every other operation answers 401.
 */
function isAuthPath(c: Context<AppEnv>): boolean {
  return c.req.path.startsWith('/v1/auth/');
}

/** The signed-in user of a live session row, as it came (cookie or bearer). */
export function userPrincipalOf(row: SessionRow, transport: UserPrincipal['transport']): UserPrincipal {
  return {
    type: 'user',
    userId: row.user_id,
    sessionId: row.id,
    activeOrganizationId: row.active_organization_id,
    activeWorkspaceId: row.active_workspace_id,
    reauthenticatedAt: row.reauthenticated_at,
    transport,
  };
}

/**
 * Resolve the frontend caller: `Authorization: Bearer <session token>` or the `__session` cookie
 * → UserPrincipal; `Authorization: Bearer <key>:<secret>` of an org API token → TokenPrincipal; no credential → undefined; a present but bad, expired or revoked one → 401
 * `unauthenticated` (and the dead cookie is cleared).
 */
export function createPrincipalResolver(deps: Omit<Deps, 'resolvePrincipal'>) {
  return async (c: Context<AppEnv>): Promise<UserPrincipal | TokenPrincipal | undefined> => {
    const credential = readCredential(c);
    if (!credential) return undefined;
    const reject = () => {
      clearSessionToken(c, deps.config);
      if (isAuthPath(c)) return undefined;
      throw new ApiError('unauthenticated', 'Your session has ended or the token is not valid. Sign in again.');
    };
    if (credential.kind === 'malformed') return reject();
    if (credential.kind === 'bearer' && looksLikeOrgToken(credential.value)) {
      // `<key>:<secret>`: the organization acting through one of its API tokens, checked against
      // the database on every request (a revoke or an expiry applies to the next one).
      const token = await verifyBearer(deps.db, credential.value, deps.clock.now());
      if (!token) return reject();
      return { type: 'token', tokenId: token.id, organizationId: token.organization_id, permissions: token.permissions };
    }
    const row = await findSessionByToken(deps, credential.value);
    if (!row) return reject();
    return userPrincipalOf(row, credential.kind);
  };
}
