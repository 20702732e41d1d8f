import { randomBytes } from 'node:crypto';
import * as ops from '@gatehouse/contract';
import type { Context, Hono } from 'hono';
import { setCookie } from 'hono/cookie';
import type { Deps } from '../../deps.js';
import { bindBackend, bindFrontend } from '../../http/bind.js';
import type { AppEnv } from '../../http/context.js';
import { ApiError } from '../../http/errors.js';
import { actorOf, recordEvent, recordUserEvent } from '../audit/record.js';
import { requireRecentAuth } from '../auth/reauth.js';
import { getUser, lockUser } from '../users/queries.js';
import { BROWSER_COOKIE, handleCallback } from './callback.js';
import { browserCookiePath, callbackUrl, presentConnection, presentProvider } from './present.js';
import { authorizationUrl, defaultName, defaultScopes, fetchDiscovery, issuerProblem } from './providers.js';
import * as oq from './queries.js';

function providerNotFound(): ApiError {
  return new ApiError('not_found', 'No such social sign-in provider.');
}

function connectionNotFound(): ApiError {
  return new ApiError('not_found', 'No such social connection.');
}

function invalidField(path: string, message: string): ApiError {
  return new ApiError('invalid_request', `${path}: ${message}`, [{ path, message }]);
}

const randomToken = () => randomBytes(32).toString('base64url');

/** Social sign-in: providers (backend), the redirect flow (frontend and the callback) and connections (both). */
export function registerOAuthRoutes(app: Hono<AppEnv>, deps: Deps): void {
  const { db, clock, config, encryptionKey: key, rateLimiter } = deps;
  const allowedOrigins = new Set(config.allowedOrigins);
  const ownCallback = callbackUrl(config);

  /** A provider's fields must fit its type; an OIDC issuer must answer discovery. */
  async function checkProvider(
    row: { type: oq.ProviderRow['type']; issuer: string | null; tenant: string | null; clientId: string },
    clientSecret: string,
    path = 'body',
  ) {
    if (row.type !== 'oidc' && row.issuer !== null) throw invalidField(`${path}.issuer`, 'only an `oidc` provider has an issuer');
    if (row.type !== 'microsoft' && row.tenant !== null) throw invalidField(`${path}.tenant`, 'only a `microsoft` provider has a tenant');
    if (row.type !== 'oidc') return;
    if (row.issuer === null) throw invalidField(`${path}.issuer`, 'an `oidc` provider needs its issuer URL');
    const problem = issuerProblem(row.issuer);
    if (problem) throw invalidField(`${path}.issuer`, problem);
    try {
      await fetchDiscovery({ clientId: row.clientId, clientSecret, issuer: row.issuer });
    } catch (error) {
      const reason = error instanceof Error ? error.message : 'no answer';
      throw invalidField(`${path}.issuer`, `OpenID Connect discovery failed (${reason})`);
    }
  }

  bindBackend(app, deps, ops.listOAuthProviders, async () => ({
    data: (await oq.listProviders(db)).map((row) => presentProvider(row, config)),
    hasMore: false,
    nextCursor: null,
  }));

  bindBackend(app, deps, ops.createOAuthProvider, async ({ body }, c) => {
    const input: oq.NewProvider = {
      type: body.type,
      name: body.name ?? defaultName(body.type, body.issuer ?? null),
      clientId: body.clientId,
      clientSecret: body.clientSecret,
      issuer: body.issuer ?? null,
      tenant: body.type === 'microsoft' ? (body.tenant ?? 'common') : (body.tenant ?? null),
      scopes: body.scopes ?? defaultScopes[body.type],
      enabled: body.enabled,
    };
    await checkProvider(input, body.clientSecret);
    const row = await db.transaction().execute(async (tx) => {
      const created = await oq.insertProvider(tx, key, input, clock.now());
      await providerEvent(tx, c, 'oauth_provider.created', created.id, { type: created.type });
      return created;
    });
    return presentProvider(row, config);
  });

  bindBackend(app, deps, ops.updateOAuthProvider, async ({ params, body }, c) => {
    const existing = await oq.findProvider(db, params.providerId);
    if (!existing) throw providerNotFound();
    const merged = {
      type: existing.type,
      issuer: body.issuer ?? existing.issuer,
      tenant: body.tenant ?? existing.tenant,
      clientId: body.clientId ?? existing.client_id,
    };
    if (body.issuer !== undefined || body.clientId !== undefined || body.tenant !== undefined) {
      await checkProvider(merged, body.clientSecret ?? oq.settingsOf(key, existing).clientSecret);
    }
    const row = await db.transaction().execute(async (tx) => {
      const updated = await oq.updateProvider(tx, key, params.providerId, body, clock.now());
      if (!updated) throw providerNotFound();
      await providerEvent(tx, c, 'oauth_provider.updated', updated.id, { fields: Object.keys(body).sort() });
      return updated;
    });
    return presentProvider(row, config);
  });

  bindBackend(app, deps, ops.deleteOAuthProvider, async ({ params }, c) => {
    await db.transaction().execute(async (tx) => {
      const gone = await tx.deleteFrom('oauth_providers').where('id', '=', params.providerId).executeTakeFirst();
      if (Number(gone.numDeletedRows) === 0) throw providerNotFound();
      await providerEvent(tx, c, 'oauth_provider.deleted', params.providerId);
    });
    return { id: params.providerId, deleted: true as const };
  });

  bindFrontend(app, deps, ops.listOAuthSignInProviders, async () => ({
    providers: (await oq.listProviders(db, { enabledOnly: true })).map((p) => ({ id: p.id, type: p.type, name: p.name })),
  }));

  /**
   * Begin a sign-in: state, PKCE verifier and nonce stored for 10 minutes, a cookie binding it to
   * this browser, and the provider's URL. `redirectUrl` must be on an allowed origin (no open redirect).
   */
  async function start(
    c: Context<AppEnv>,
    where: 'body' | 'query',
    { providerId, redirectUrl, callbackUrl: requested }: { providerId: string; redirectUrl: string; callbackUrl?: string | undefined },
  ): Promise<string> {
    await rateLimiter.consume('oauthIp', c.get('ip'));
    // Exactly Gatehouse's own callback or one listed in OAUTH_CALLBACK_URLS: the provider's code goes
    // there, so any other page (even on an allowed origin) could leak it to whoever started this flow.
    const callback = requested ?? ownCallback;
    if (callback !== ownCallback && !config.oauthCallbackUrls.includes(callback)) {
      throw invalidField(`${where}.callbackUrl`, `${callback} is not a callback this server allows: add it to OAUTH_CALLBACK_URLS`);
    }
    let origin: string;
    try {
      const url = new URL(redirectUrl);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('scheme');
      origin = url.origin;
    } catch {
      throw invalidField(`${where}.redirectUrl`, 'must be an absolute http(s) URL');
    }
    if (!allowedOrigins.has(origin)) {
      throw invalidField(`${where}.redirectUrl`, `its origin ${origin} is not allowed: add it to ALLOWED_ORIGINS`);
    }
    const provider = await oq.findProvider(db, providerId);
    if (!provider?.enabled) throw invalidField(`${where}.providerId`, 'no such provider, or it is disabled');
    const flow = { state: randomToken(), codeVerifier: randomToken(), nonce: randomToken() };
    const browserSecret = randomToken();
    const url = await authorizationUrl(oq.settingsOf(key, provider), callback, flow).catch((error: unknown) => {
      c.get('log').warn({ err: error, providerId }, 'could not build a social sign-in URL');
      throw new ApiError('unavailable', 'The provider cannot be reached right now. Try again shortly.');
    });
    const callbackUrl = callback === ownCallback ? null : callback;
    await oq.insertState(db, key, { ...flow, providerId, browserSecret, redirectUrl, callbackUrl }, clock.now());
    // Scoped to the callback's folder, so behind a connector it is the app's cookie for the connector's callback.
    setCookie(c, BROWSER_COOKIE, browserSecret, {
      httpOnly: true,
      sameSite: 'Lax',
      path: browserCookiePath(callback),
      secure: callback.startsWith('https:'),
      maxAge: oq.STATE_TTL_MS / 1000,
    });
    return url.toString();
  }

  bindFrontend(app, deps, ops.startOAuthSignIn, async (input, _principal, c) => ({
    authorizationUrl: await start(c, 'body', input),
  }));

  // The same as a plain link, for a top-level navigation: the browser goes on to the provider at once.
  app.get('/v1/auth/oauth/start', async (c) => {
    const providerId = c.req.query('providerId') ?? '';
    const redirectUrl = c.req.query('redirectUrl') ?? '';
    const callbackUrl = c.req.query('callbackUrl');
    if (providerId.length > 64 || redirectUrl.length > 2000 || (callbackUrl?.length ?? 0) > 2000) {
      throw new ApiError('invalid_request', 'The query is too long.');
    }
    return c.redirect(await start(c, 'query', { providerId, redirectUrl, callbackUrl }), 302);
  });

  app.get('/v1/auth/oauth/callback', (c) => handleCallback(c, deps));

  bindFrontend(app, deps, ops.listMySocialConnections, async (_input, principal) => ({
    connections: (await oq.listConnections(db, principal.userId)).map(presentConnection),
  }));

  bindFrontend(app, deps, ops.unlinkMySocialConnection, async ({ connectionId }, principal, c) => {
    requireRecentAuth(principal, clock.now());
    await db.transaction().execute(async (tx) => {
      // Locked, so two unlinks (or an unlink and a passkey delete) cannot together leave no way in.
      await lockUser(tx, principal.userId);
      const connections = await oq.listConnections(tx, principal.userId);
      if (!connections.some((x) => x.id === connectionId)) throw connectionNotFound();
      if (!(await oq.hasOtherWayIn(tx, principal.userId, connectionId))) {
        throw new ApiError(
          'conflict',
          'This is the last way to sign in to this account (no password, passkey or other connection). Set a password first.',
        );
      }
      const providerId = await oq.deleteConnection(tx, principal.userId, connectionId);
      await recordUserEvent(tx, c, {
        userId: principal.userId,
        action: 'user.social_connection_unlinked',
        at: clock.now(),
        data: { connectionId, providerId },
      });
    });
    return { id: connectionId, deleted: true as const };
  });

  bindBackend(app, deps, ops.listUserSocialConnections, async ({ params }) => {
    await getUser(db, params.userId);
    return { data: (await oq.listConnections(db, params.userId)).map(presentConnection), hasMore: false, nextCursor: null };
  });

  bindBackend(app, deps, ops.deleteUserSocialConnection, async ({ params }, c) => {
    await db.transaction().execute(async (tx) => {
      const providerId = await oq.deleteConnection(tx, params.userId, params.connectionId);
      if (!providerId) throw connectionNotFound();
      await recordUserEvent(tx, c, {
        userId: params.userId,
        action: 'user.social_connection_unlinked',
        at: clock.now(),
        data: { connectionId: params.connectionId, providerId },
      });
    });
    return { id: params.connectionId, deleted: true as const };
  });

  /** An instance-wide audit event about a provider, by the admin key. */
  function providerEvent(
    tx: Parameters<typeof recordEvent>[0],
    c: Context<AppEnv>,
    action: string,
    providerId: string,
    data?: Record<string, unknown>,
  ) {
    const principal = c.get('principal');
    if (!principal) throw new Error('a backend call without its principal');
    return recordEvent(tx, {
      organizationId: null,
      action,
      actor: actorOf(principal),
      target: { type: 'oauth_provider', id: providerId },
      ip: c.get('ip') ?? null,
      ...(data ? { data } : {}),
      at: clock.now(),
    });
  }
}
