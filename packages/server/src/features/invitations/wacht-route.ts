import type { Context, Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Deps } from '../../deps.js';
import type { AppEnv, TokenPrincipal, UserPrincipal } from '../../http/context.js';
import { ApiError, fromDatabaseError } from '../../http/errors.js';
import { resolvedSessionOf, userPrincipalOf } from '../auth/resolve.js';
import { authorize } from '../organizations/access.js';
import { findSessionByToken } from '../sessions/lookup.js';
import type { SessionRow } from '../sessions/queries.js';
import { SESSION_COOKIE } from '../sessions/transport.js';
import { presentWachtInvitation } from './present.js';
import { listInvitations } from './queries.js';

/** The cookie seed 002's clients send their session in. */
const WACHT_SESSION_COOKIE = 'session_id';

/** The most invitations the view returns: its `data` is a bare array, with no way to ask for a next page. */
const WACHT_LIST_MAX = 1000;

type Caller = { principal: UserPrincipal | TokenPrincipal; session: SessionRow | undefined };

/**
 * The caller of the seed-002 view: Bearer or `__session` as everywhere on the frontend API, else
 * the `session_id` cookie that page's clients send. A present but dead credential is 401.
 */
async function resolveCaller(deps: Deps, c: Context<AppEnv>): Promise<Caller> {
  const viaUsual = c.req.header('authorization') !== undefined || getCookie(c, SESSION_COOKIE) !== undefined;
  const token = viaUsual ? undefined : getCookie(c, WACHT_SESSION_COOKIE);
  if (viaUsual) {
    const principal = await deps.resolvePrincipal(c);
    if (!principal) throw new ApiError('unauthenticated');
    return { principal, session: resolvedSessionOf(c)?.row };
  }
  if (!token) throw new ApiError('unauthenticated');
  const row = await findSessionByToken(deps, token);
  if (!row) throw new ApiError('unauthenticated', 'Your session has ended or the token is not valid. Sign in again.');
  return { principal: userPrincipalOf(row, 'cookie'), session: row };
}

function wachtSession(session: SessionRow | undefined) {
  if (!session) return null;
  return { id: session.id, created_at: session.created_at.toISOString(), updated_at: session.last_active_at.toISOString() };
}

/**
 * `GET /v1/organizations/{orgId}/invitations`: seed 002's page, in its own shape (snake_case, `data`
 * a bare array, `session { id, created_at, updated_at }`, error codes upper-cased), so a client
 * written against it works unchanged. Pending and expired invitations, newest first; members:manage.
 */
export function registerWachtInvitationsRoute(app: Hono<AppEnv>, deps: Deps): void {
  app.get('/v1/organizations/:orgId/invitations', async (c) => {
    let session: SessionRow | undefined;
    try {
      const caller = await resolveCaller(deps, c);
      session = caller.session;
      c.set('principal', caller.principal);
      const orgId = c.req.param('orgId');
      await authorize(c, deps, orgId, 'members:manage');
      const rows = await listInvitations(deps.db, orgId, { limit: WACHT_LIST_MAX }, deps.clock.now());
      const data = rows.slice(0, WACHT_LIST_MAX).map(presentWachtInvitation);
      return c.json({ status: 200, message: '', data, session: wachtSession(session), errors: null });
    } catch (error) {
      const apiError = error instanceof ApiError ? error : fromDatabaseError(error);
      if (!apiError) throw error;
      for (const [name, value] of Object.entries(apiError.headers ?? {})) c.header(name, value);
      c.header('X-Request-Id', c.get('requestId'));
      const body = {
        status: apiError.status,
        message: apiError.message,
        data: null,
        session: wachtSession(session),
        errors: [{ code: apiError.code.toUpperCase(), message: apiError.message }],
      };
      return c.json(body, apiError.status as 401);
    }
  });
}
