import type { Context } from 'hono';
import type { Deps } from '../../deps.js';
import type { AppEnv, TokenPrincipal, UserPrincipal } from '../../http/context.js';
import { ApiError } from '../../http/errors.js';
import { looksLikeOrgToken, verifyBearer } from '../api-tokens/api-tokens.js';
import { rememberMembership } from '../organizations/access.js';
import { type ResolvedSession, resolveSessionToken, type SessionPreload } from '../sessions/lookup.js';
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

/** The session read for this request, with what was preloaded; undefined for a token or anonymous caller. */
const resolvedSessions = new WeakMap<Context<AppEnv>, ResolvedSession>();

/** The caller's session row and what the operation asked to read with it (see {@link SessionPreload}). */
export function resolvedSessionOf(c: Context<AppEnv>): ResolvedSession | undefined {
  return resolvedSessions.get(c);
}

/**
 * Resolve the frontend caller: `Authorization: Bearer <session token>` or the `__session` cookie
 * → UserPrincipal; `Authorization: Bearer <key>:<secret>` of an org API token → TokenPrincipal; no credential → undefined; a present but bad, expired or revoked one → 401
 * `unauthenticated` (and the dead cookie is cleared). `preload` names what the operation needs
 * besides the session (its user, or the caller's membership in an organization): it is read by the
 * same query, so the operation runs without another round trip for it.
 */
export function createPrincipalResolver(deps: Omit<Deps, 'resolvePrincipal'>) {
  return async (c: Context<AppEnv>, preload?: SessionPreload): Promise<UserPrincipal | TokenPrincipal | undefined> => {
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
    const resolved = await resolveSessionToken(deps, credential.value, preload);
    if (!resolved) return reject();
    const principal = userPrincipalOf(resolved.row, credential.kind);
    resolvedSessions.set(c, resolved);
    if (preload?.organizationId && resolved.membership !== undefined) {
      rememberMembership(c, principal, preload.organizationId, resolved.membership);
    }
    return principal;
  };
}
