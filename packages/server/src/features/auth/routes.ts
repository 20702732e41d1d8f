import * as ops from '@gatehouse/contract';
import type { Hono } from 'hono';
import type { Deps } from '../../deps.js';
import { bindFrontend } from '../../http/bind.js';
import type { AppEnv } from '../../http/context.js';
import { registerMeRoutes } from '../me/routes.js';
import { presentSession } from '../sessions/present.js';
import { revokeSession } from '../sessions/queries.js';
import { registerSessionRoutes } from '../sessions/routes.js';
import { clearSessionToken } from '../sessions/transport.js';
import { presentUser } from '../users/present.js';
import { registerPasswordRoutes } from './password.js';
import { resolvedSessionOf } from './resolve.js';
import { registerSignInRoutes } from './sign-in.js';

/** Sign-up, sign-in, sessions and the signed-in user (frontend `auth/*`, `session/get`, `me/*`; backend user sessions). */
export function registerAuthRoutes(app: Hono<AppEnv>, deps: Deps): void {
  const { db, clock } = deps;
  registerSignInRoutes(app, deps);
  registerPasswordRoutes(app, deps);
  registerSessionRoutes(app, deps);
  registerMeRoutes(app, deps);

  bindFrontend(app, deps, ops.signOut, async (_input, principal, c) => {
    // Revoked in the database, so the token gets 401 from the very next request on.
    if (principal?.type === 'user') await revokeSession(db, principal.userId, principal.sessionId, clock.now());
    clearSessionToken(c, deps.config);
    c.set('envelopeSession', null);
    return { ok: true as const };
  });

  // The session and its user come from the resolver's one query.
  bindFrontend(
    app,
    deps,
    ops.getSession,
    async (_input, principal, c) => {
      const resolved = resolvedSessionOf(c);
      if (principal?.type !== 'user' || !resolved?.user) return { session: null, user: null };
      return { session: presentSession(resolved.row, clock.now(), principal.sessionId), user: presentUser(resolved.user) };
    },
    { preloadUser: true },
  );
}
