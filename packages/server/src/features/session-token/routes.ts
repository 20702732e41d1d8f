import { createSessionToken, listSigningKeys, revokeSigningKey, rotateSigningKey, verifySession } from '@gatehouse/contract';
import type { Hono } from 'hono';
import { decodeCursor, toPage } from '../../db/pagination.js';
import type { Deps } from '../../deps.js';
import { bindBackend, bindFrontend } from '../../http/bind.js';
import type { AppEnv } from '../../http/context.js';
import { ApiError } from '../../http/errors.js';
import { lookupSession } from '../sessions/lookup.js';
import { buildSessionClaims } from './claims.js';
import { looksLikeJwt, mintSessionToken, verifySessionJwt } from './jwt.js';
import * as signing from './keys.js';
import { presentSigningKey } from './present.js';
import { createSigningKeyStore } from './store.js';

/** Verifiers may cache the JWKS this long; a new `kid` makes them refetch anyway. */
const JWKS_MAX_AGE_SECONDS = 300;

const invalid = { valid: false, userId: null, sessionId: null, claims: null } as const;

/**
 * Session JWTs for the SaaS team's servers: signing keys (backend list and rotate), JWKS,
 * `session/token`, `/sessions/verify`.
 */
export function registerSessionTokenRoutes(app: Hono<AppEnv>, deps: Deps): void {
  // One key cache per app instance (not per module), so two apps in one process never share keys.
  const keys = createSigningKeyStore(deps);

  app.get('/.well-known/jwks.json', async (c) => {
    const jwks = await keys.jwks();
    c.header('cache-control', `public, max-age=${JWKS_MAX_AGE_SECONDS}`);
    return c.json(jwks);
  });

  bindFrontend(app, deps, createSessionToken, async (_input, principal) => mintSessionToken(deps, keys, principal));

  bindBackend(app, deps, verifySession, async ({ body }) => {
    if (looksLikeJwt(body.token)) {
      const verified = await verifySessionJwt(deps, keys, body.token);
      if (!verified) return invalid;
      return { valid: true, userId: verified.claims.sub, sessionId: verified.claims.sid, claims: verified.claims };
    }
    const session = await lookupSession(deps, body.token);
    if (!session) return invalid;
    return {
      valid: true,
      userId: session.userId,
      sessionId: session.sessionId,
      claims: { ...(await buildSessionClaims(deps.db, session)) },
    };
  });

  const graceMs = signing.retiredKeyGraceMs(deps.config.sessionTokenTtlSeconds);

  bindBackend(app, deps, listSigningKeys, async ({ query }) => {
    const rows = await signing.listSigningKeys(deps.db, decodeCursor(query.cursor), query.limit);
    return toPage(
      rows,
      query.limit,
      (r) => r.id,
      (r) => presentSigningKey(r, graceMs),
    );
  });

  bindBackend(app, deps, rotateSigningKey, async () => {
    const { active, retired } = await signing.rotateSigningKey(deps.db, deps.encryptionKey, deps.clock.now());
    // Other processes follow within seconds (their caches expire); this one signs with the new key at once.
    await keys.refresh();
    return { active: presentSigningKey(active, graceMs), retired: retired ? presentSigningKey(retired, graceMs) : null };
  });

  bindBackend(app, deps, revokeSigningKey, async ({ params }) => {
    const row = await signing.revokeSigningKey(deps.db, params.keyId, deps.clock.now());
    if (!row) throw new ApiError('not_found', 'No such signing key.');
    // This process stops trusting it now; the others when their cache expires (seconds).
    await keys.refresh();
    return presentSigningKey(row, graceMs);
  });
}
