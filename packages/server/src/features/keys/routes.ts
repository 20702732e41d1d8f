import { createSecretKey, listSecretKeys, revokeSecretKey } from '@gatehouse/contract';
import type { Hono, MiddlewareHandler } from 'hono';
import { decodeCursor, toPage } from '../../db/pagination.js';
import type { Deps } from '../../deps.js';
import { bindBackend } from '../../http/bind.js';
import type { AppEnv } from '../../http/context.js';
import { ApiError } from '../../http/errors.js';
import { secretsEqual } from '../../security/tokens.js';
import { consoleRequests } from '../console/sessions.js';
import { presentSecretKey } from './present.js';
import * as q from './queries.js';

/**
 * Every `/backend/v1` request needs `Authorization: Bearer <secret key>`: GATEHOUSE_SECRET_KEY, or
 * a stored key that is not revoked (checked on every request, so revocation is immediate). A
 * request the console dispatched (`/console/api`, checked there) runs as its session's key.
 */
export function requireSecretKey(deps: Deps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const viaConsole = consoleRequests.get(c.req.raw);
    if (viaConsole) {
      c.set('principal', viaConsole);
      return next();
    }
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const secret = match?.[1];
    if (!secret) throw new ApiError('unauthenticated', 'Send your secret key as Authorization: Bearer sk_live_….');
    if (deps.config.secretKey && secretsEqual(secret, deps.config.secretKey)) {
      c.set('principal', { type: 'admin', keyId: 'env' });
      return next();
    }
    const key = await q.findActiveSecretKey(deps.db, secret);
    if (!key) throw new ApiError('unauthenticated', 'This secret key is not valid or was revoked.');
    await q.touchSecretKey(deps.db, key.id, key.last_used_at, deps.clock.now());
    c.set('principal', { type: 'admin', keyId: key.id });
    return next();
  };
}

export function registerKeyRoutes(app: Hono<AppEnv>, deps: Deps): void {
  bindBackend(app, deps, listSecretKeys, async ({ query }) => {
    const rows = await q.listSecretKeys(deps.db, decodeCursor(query.cursor), query.limit);
    return toPage(rows, query.limit, (r) => r.id, presentSecretKey);
  });

  bindBackend(app, deps, createSecretKey, async ({ body }) => {
    const { row, secret } = await q.insertSecretKey(deps.db, body, deps.clock.now());
    return { secretKey: presentSecretKey(row), secret };
  });

  bindBackend(app, deps, revokeSecretKey, async ({ params }) => {
    const row = await q.revokeSecretKey(deps.db, params.keyId, deps.clock.now());
    if (!row) throw new ApiError('not_found');
    return presentSecretKey(row);
  });
}
