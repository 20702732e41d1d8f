import type { AddressInfo } from 'node:net';
import { createClient, createConnector, type OAuthProvider } from '@gatehouse/sdk';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { failure } from './auth-helpers.js';
import { freePort, startTestGatehouse, type TestGatehouse } from './harness.js';
import { type CookieJar, cookieJar, startOpenIdProvider, type TestOpenIdProvider } from './oidc-provider.js';

// Social sign-in for an app on its own origin that mounts the SDK's connector: three servers on
// loopback (the app, Gatehouse, a real OpenID provider), the redirects followed by hand with a
// cookie jar per browser, as a browser would.
let t: TestGatehouse;
let op: TestOpenIdProvider;
let provider: OAuthProvider;
let app: { close: () => Promise<void> };
let gatehouseUrl: string;
let APP: string;
let MOUNT: string;
let CALLBACK: string;
let RETURN: string;
let accounts = 0;

beforeAll(async () => {
  const [gatehousePort, appPort] = [await freePort(), await freePort()];
  gatehouseUrl = `http://127.0.0.1:${gatehousePort}`;
  // Another origin than Gatehouse's (the port differs): the two share nothing, the jar's cookies included.
  APP = `http://127.0.0.1:${appPort}`;
  MOUNT = `${APP}/api/auth`;
  CALLBACK = `${MOUNT}/v1/auth/oauth/callback`;
  RETURN = `${APP}/account?tab=profile`;
  // The provider knows only the app's connector callback as a redirect URI.
  op = await startOpenIdProvider(CALLBACK);
  t = await startTestGatehouse({
    port: gatehousePort,
    env: { PUBLIC_URL: gatehouseUrl, ALLOWED_ORIGINS: APP, OAUTH_CALLBACK_URLS: CALLBACK },
  });
  provider = await t.backend.oauthProviders.create({
    type: 'oidc',
    name: 'Test IdP',
    issuer: op.issuer,
    clientId: op.clientId,
    clientSecret: op.clientSecret,
  });

  // The app: the connector at /api/auth, as its README says, and one page of its own.
  const connector = createConnector({ gatehouseUrl, publicUrl: APP });
  const hono = new Hono();
  hono.all('/api/auth/*', (c) => connector(c.req.raw));
  hono.get('/account', (c) => c.text('the app'));
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: hono.fetch, port: appPort, hostname: '127.0.0.1' }, () => resolve(s));
  });
  expect((server.address() as AddressInfo).port).toBe(appPort);
  app = {
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
});
afterAll(async () => {
  await app?.close();
  await t?.close();
  await op?.close();
});

function account() {
  const created = { sub: `conn-${++accounts}-${Date.now()}`, email: t.email('connector-social'), email_verified: true };
  op.account(created);
  return created;
}

/** The SDK in a page of the app: every call through the connector, with this browser's cookies. */
const appClient = (jar: CookieJar) => createClient({ baseUrl: MOUNT, fetch: jar.fetch, headers: { origin: APP } });

/** Follow redirects through the provider until one points at the app's callback: that URL (not yet visited). */
async function throughProvider(jar: CookieJar, from: string): Promise<URL> {
  let next = from;
  for (let hop = 0; hop < 12; hop++) {
    if (next.startsWith(`${APP}/`)) return new URL(next);
    const response = await jar.fetch(next);
    const location = response.headers.get('location');
    if (!location) throw new Error(`${next} answered ${response.status} without a redirect: ${await response.text()}`);
    next = new URL(location, next).toString();
  }
  throw new Error('too many redirects');
}

/** The start through the connector (the SignIn widget's call): the answer, its cookie and the provider URL. */
async function startThroughConnector(jar: CookieJar, sub: string) {
  const response = await jar.fetch(`${MOUNT}/v1/auth/oauth/start`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: APP, 'sec-fetch-site': 'same-origin' },
    body: JSON.stringify({ providerId: provider.id, redirectUrl: RETURN }),
  });
  const body = (await response.json()) as { data: { authorizationUrl: string } | null; errors: { code: string }[] | null };
  const authorizationUrl = body.data ? new URL(body.data.authorizationUrl) : undefined;
  authorizationUrl?.searchParams.set('login_hint', sub);
  return { response, body, setCookies: response.headers.getSetCookie(), authorizationUrl };
}

const stateCount = async () =>
  Number(
    (
      await t.gatehouse.deps.db
        .selectFrom('oauth_states')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('social sign-in through an app’s connector', () => {
  it('ends with the session cookie on the app’s origin, which me/get through the connector accepts', async () => {
    const who = account();
    const jar = cookieJar();
    const start = await startThroughConnector(jar, who.sub);
    expect(start.response.status).toBe(200);
    // The provider is asked to come back to the app's connector, not to Gatehouse.
    expect(start.authorizationUrl?.searchParams.get('redirect_uri')).toBe(CALLBACK);
    // The binding cookie is the app's, host-only, for the connector's callback alone.
    expect(start.setCookies).toHaveLength(1);
    expect(start.setCookies[0]).toMatch(/^__gatehouse_oauth=[^;]+;/);
    expect(start.setCookies[0]).toContain('Path=/api/auth/v1/auth/oauth;');
    expect(start.setCookies[0]).toContain('HttpOnly');
    expect(start.setCookies[0]).not.toMatch(/Domain=/i);

    const callback = await throughProvider(jar, String(start.authorizationUrl));
    expect(`${callback.origin}${callback.pathname}`).toBe(CALLBACK);
    const done = await jar.fetch(callback);
    expect(done.status).toBe(302);
    expect(done.headers.get('location')).toBe(RETURN);
    expect(done.headers.get('gatehouse-session-token')).toBeNull();
    const session = done.headers.getSetCookie().find((line) => line.startsWith('__session='));
    expect(session).toContain('HttpOnly');
    expect(session).not.toMatch(/Domain=/i);

    // The session lives on the app's origin; Gatehouse's origin got no cookie at all.
    expect(jar.get(APP, '__session')).toBeTruthy();
    expect(jar.get(APP, '__gatehouse_oauth')).toBeUndefined();
    expect(jar.header(gatehouseUrl)).toBeUndefined();
    const { user } = await appClient(jar).me.get();
    expect(user.email).toBe(who.email);
    expect((await appClient(jar).me.socialConnections.list()).connections).toEqual([
      expect.objectContaining({ providerId: provider.id, email: who.email }),
    ]);
  });

  it('works as a plain link too: GET start and the callback pass through with their redirects', async () => {
    const who = account();
    const jar = cookieJar();
    const query = new URLSearchParams({ providerId: provider.id, redirectUrl: RETURN });
    const start = await jar.fetch(`${MOUNT}/v1/auth/oauth/start?${query}`);
    expect(start.status).toBe(302);
    const location = new URL(start.headers.get('location') as string);
    expect(location.origin).toBe(op.issuer);
    expect(location.searchParams.get('redirect_uri')).toBe(CALLBACK);
    expect(jar.get(APP, '__gatehouse_oauth')).toBeTruthy();
    location.searchParams.set('login_hint', who.sub);

    const done = await jar.fetch(await throughProvider(jar, String(location)));
    expect(done.headers.get('location')).toBe(RETURN);
    expect((await appClient(jar).me.get()).user.email).toBe(who.email);
  });

  it('refuses a callback URL that is not listed, with nothing kept and no cookie', async () => {
    const before = await stateCount();
    const direct = createClient({ baseUrl: gatehouseUrl, headers: { origin: APP } });
    for (const callbackUrl of [
      `${APP}/account`, // a page of the app: the code would land where nothing spends it
      `${APP}/other/v1/auth/oauth/callback`, // another path on an allowed origin
      `${CALLBACK}?next=1`,
      'https://evil.example.net/api/auth/v1/auth/oauth/callback',
    ]) {
      const error = await failure(direct.auth.oauth.start({ providerId: provider.id, redirectUrl: RETURN, callbackUrl }));
      expect(error.status).toBe(400);
      expect(error.code).toBe('invalid_request');
    }
    const refused = await fetch(`${gatehouseUrl}/v1/auth/oauth/start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: APP },
      body: JSON.stringify({ providerId: provider.id, redirectUrl: RETURN, callbackUrl: `${APP}/account` }),
    });
    expect(refused.status).toBe(400);
    expect(refused.headers.getSetCookie()).toEqual([]);
    const body = (await refused.json()) as { errors: { code: string; message: string }[] };
    expect(body.errors[0]?.message).toContain('OAUTH_CALLBACK_URLS');

    // As a link, too.
    const query = new URLSearchParams({ providerId: provider.id, redirectUrl: RETURN, callbackUrl: `${APP}/account` });
    const link = await fetch(`${gatehouseUrl}/v1/auth/oauth/start?${query}`, { redirect: 'manual' });
    expect(link.status).toBe(400);
    expect(link.headers.get('location')).toBeNull();

    // A connector mounted elsewhere on the app asks for its own callback, which is not listed.
    const elsewhere = createConnector({ gatehouseUrl, publicUrl: APP, mountPath: '/auth' });
    const other = await elsewhere(
      new Request(`${APP}/auth/v1/auth/oauth/start`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: APP },
        body: JSON.stringify({ providerId: provider.id, redirectUrl: RETURN }),
      }),
    );
    expect(other.status).toBe(400);
    expect(other.headers.getSetCookie()).toEqual([]);
    expect(await stateCount()).toBe(before);
  });

  it('refuses a callback without the binding cookie, and the state it spent is gone', async () => {
    const who = account();
    const starter = cookieJar();
    const start = await startThroughConnector(starter, who.sub);
    const callback = await throughProvider(starter, String(start.authorizationUrl));

    // Another browser (no binding cookie) brings the provider's answer to the app's callback.
    const other = cookieJar();
    const refused = await other.fetch(callback);
    expect(refused.status).toBe(302);
    const back = new URL(refused.headers.get('location') as string);
    expect(`${back.origin}${back.pathname}`).toBe(`${APP}/account`);
    expect(back.searchParams.get('error')).toBe('oauth_state_mismatch');
    expect(other.get(APP, '__session')).toBeUndefined();

    // The browser that started it cannot use the state any more either.
    const replay = await starter.fetch(callback);
    expect(replay.status).toBe(400);
    expect(replay.headers.get('content-type')).toContain('text/html');
    expect(await replay.text()).toContain('unknown or was already used');
    expect(starter.get(APP, '__session')).toBeUndefined();
  });

  it('sends the binding cookie to the callback only, never to the rest of the API', async () => {
    const seen: Headers[] = [];
    const connector = createConnector({
      gatehouseUrl,
      publicUrl: APP,
      fetch: (input, init) => {
        seen.push(new Headers(init?.headers));
        return fetch(input, init);
      },
    });
    const cookie = '__session=abc; __gatehouse_oauth=binding; app_cookie=1';
    await connector(
      new Request(`${MOUNT}/v1/me/get`, {
        method: 'POST',
        headers: { cookie, origin: APP, 'content-type': 'application/json' },
        body: '{}',
      }),
    );
    await connector(new Request(`${CALLBACK}?state=unknown`, { headers: { cookie } }));
    expect(seen.map((h) => h.get('cookie'))).toEqual(['__session=abc', '__session=abc; __gatehouse_oauth=binding']);

    // A start body far larger than a start is refused before Gatehouse is called.
    const huge = await connector(
      new Request(`${MOUNT}/v1/auth/oauth/start`, {
        method: 'POST',
        headers: { origin: APP, 'content-type': 'application/json' },
        body: JSON.stringify({ providerId: provider.id, redirectUrl: RETURN, pad: 'x'.repeat(20_000) }),
      }),
    );
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { errors: { code: string }[] }).errors[0]?.code).toBe('payload_too_large');
    expect(seen).toHaveLength(2);
  });
});

describe('OAUTH_CALLBACK_URLS', () => {
  const base = { PUBLIC_URL: 'https://auth.example.com', ALLOWED_ORIGINS: 'https://app.example.com', GATEHOUSE_SECRET_KEY: 'x' };
  it('takes exact connector callbacks on allowed origins', () => {
    const config = loadConfig({
      ...base,
      OAUTH_CALLBACK_URLS: 'https://app.example.com/api/auth/v1/auth/oauth/callback, https://auth.example.com/x/v1/auth/oauth/callback',
    });
    expect(config.oauthCallbackUrls).toEqual([
      'https://app.example.com/api/auth/v1/auth/oauth/callback',
      'https://auth.example.com/x/v1/auth/oauth/callback',
    ]);
  });

  it('refuses anything else at start', () => {
    for (const value of [
      'https://other.example.org/api/auth/v1/auth/oauth/callback', // origin not allowed
      'https://app.example.com/api/auth/callback', // not a connector's callback path
      'https://app.example.com/api/auth/v1/auth/oauth/callback?x=1',
      'ftp://app.example.com/v1/auth/oauth/callback',
      'not a url',
    ]) {
      expect(() => loadConfig({ ...base, OAUTH_CALLBACK_URLS: value })).toThrow(ConfigError);
    }
  });
});
