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
import { findUser } from '../users/queries.js';
import { registerPasswordRoutes } from './password.js';
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

  bindFrontend(app, deps, ops.getSession, async (_input, principal) => {
    if (principal?.type !== 'user') return { session: null, user: null };
    const now = clock.now();
    const [session, user] = await Promise.all([
      db.selectFrom('sessions').selectAll().where('id', '=', principal.sessionId).executeTakeFirstOrThrow(),
      findUser(db, principal.userId),
    ]);
    if (!user) return { session: null, user: null };
    return { session: presentSession(session, now, principal.sessionId), user: presentUser(user) };
  });
}
