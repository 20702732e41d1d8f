import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PASSWORD, rawPost, sessionCookieOf, signedInClient } from './auth-helpers.js';
import { startTestGatehouse, type TestGatehouse } from './harness.js';

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example.net';

let t: TestGatehouse;
beforeAll(async () => {
  t = await startTestGatehouse({ env: { ALLOWED_ORIGINS: APP } });
});
afterAll(() => t.close());

/** Sign in as a browser would: cookie transport, from the app's origin. */
async function cookieSignIn() {
  const email = t.email('browser');
  await t.backend.users.create({ email, password: DEFAULT_PASSWORD });
  const res = await rawPost(t, 'auth/sign-in', { email, password: DEFAULT_PASSWORD }, { origin: APP });
  expect(res.status).toBe(200);
  return { res, cookie: sessionCookieOf(res.headers) as string };
}

describe('session cookie', () => {
  it('is HttpOnly, SameSite=Lax, Path=/, not Secure over http, and no token header', async () => {
    const { res, cookie } = await cookieSignIn();
    const [setCookie] = res.headers.getSetCookie();
    expect(cookie).toMatch(/^__session=ses_[0-9a-z]{26}\.[0-9a-z]{52}$/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Lax');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).not.toContain('Secure');
    expect(res.headers.get('gatehouse-session-token')).toBeNull();
    expect(JSON.stringify(res.body)).not.toContain(cookie.split('.')[1]);
  });

  it('is Secure when PUBLIC_URL is https', async () => {
    const https = await startTestGatehouse({ env: { PUBLIC_URL: 'https://auth.example.com' } });
    try {
      const email = https.email();
      await https.backend.users.create({ email, password: DEFAULT_PASSWORD });
      const res = await rawPost(https, 'auth/sign-in', { email, password: DEFAULT_PASSWORD }, { origin: 'https://auth.example.com' });
      expect(res.headers.getSetCookie()[0]).toMatch(/; Secure/);
    } finally {
      await https.close();
    }
  });

  it('sign-out clears the cookie and the old cookie gets 401', async () => {
    const { cookie } = await cookieSignIn();
    const out = await rawPost(t, 'auth/sign-out', {}, { cookie, origin: APP });
    expect(out.status).toBe(200);
    expect(out.headers.getSetCookie()[0]).toMatch(/^__session=; Max-Age=0/);
    const after = await rawPost(t, 'me/get', {}, { cookie, origin: APP });
    expect(after.status).toBe(401);
    // The dead cookie is cleared, so the browser stops sending it.
    expect(after.headers.getSetCookie()[0]).toMatch(/^__session=; Max-Age=0/);
  });
});

describe('CSRF', () => {
  it('accepts a cookie POST from an allowed origin and from PUBLIC_URL', async () => {
    const { cookie } = await cookieSignIn();
    expect((await rawPost(t, 'me/get', {}, { cookie, origin: APP })).status).toBe(200);
    expect((await rawPost(t, 'me/get', {}, { cookie, origin: 'http://localhost:8787' })).status).toBe(200);
  });

  it("does not trust the request's own Host: a DNS-rebound page is refused (403)", async () => {
    const { cookie } = await cookieSignIn();
    const response = await t.gatehouse.app.request('http://evil.test/v1/me/update', {
      method: 'POST',
      headers: { host: 'evil.test', origin: 'http://evil.test', cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ firstName: 'Mallory' }),
    });
    expect(response.status).toBe(403);
  });

  it('refuses a cross-origin cookie POST and a cookie POST with no Origin (403)', async () => {
    const { cookie } = await cookieSignIn();
    const cross = await rawPost(t, 'me/update', { firstName: 'Mallory' }, { cookie, origin: EVIL });
    expect(cross.status).toBe(403);
    expect(cross.body.errors?.[0]?.code).toBe('forbidden');
    const none = await rawPost(t, 'me/update', { firstName: 'Mallory' }, { cookie });
    expect(none.status).toBe(403);
    expect((await rawPost(t, 'me/get', {}, { cookie, origin: 'null' })).status).toBe(403);
    const me = await rawPost(t, 'me/get', {}, { cookie, origin: APP });
    expect((me.body.data as { user: { firstName: string | null } }).user.firstName).toBeNull();
  });

  it('refuses sign-in from a foreign origin (login CSRF)', async () => {
    const email = t.email();
    await t.backend.users.create({ email, password: DEFAULT_PASSWORD });
    expect((await rawPost(t, 'auth/sign-in', { email, password: DEFAULT_PASSWORD }, { origin: EVIL })).status).toBe(403);
  });

  it('refuses form-encoded and text/plain bodies with 400, before any work', async () => {
    const a = await signedInClient(t);
    for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x']) {
      const response = await fetch(`${t.url}/v1/me/update`, {
        method: 'POST',
        headers: { 'content-type': type, authorization: `Bearer ${a.sessionToken}` },
        body: 'firstName=Mallory',
      });
      expect(response.status, type).toBe(400);
      expect(((await response.json()) as { errors: { code: string }[] }).errors[0]?.code).toBe('invalid_request');
    }
    const { cookie } = await cookieSignIn();
    const form = await fetch(`${t.url}/v1/me/update`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, origin: APP },
      body: 'firstName=Mallory',
    });
    expect(form.status).toBe(400);
    expect((await a.client.me.get()).user.firstName).toBeNull();
  });

  it('bearer clients send no Origin and are not affected', async () => {
    const a = await signedInClient(t);
    expect((await a.client.me.update({ firstName: 'Ada' })).user.firstName).toBe('Ada');
  });
});

describe('CORS', () => {
  it('answers preflights from allowed origins only, with credentials, cached', async () => {
    const ok = await fetch(`${t.url}/v1/me/get`, {
      method: 'OPTIONS',
      headers: { origin: APP, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' },
    });
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(APP);
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
    expect(Number(ok.headers.get('access-control-max-age'))).toBeGreaterThan(0);
    // Browsers use the cookie: a cross-origin page may not ask for the raw token.
    expect(ok.headers.get('access-control-allow-headers')?.toLowerCase()).not.toContain('gatehouse-token-transport');
    expect(ok.headers.get('vary')?.toLowerCase()).toContain('origin');
    const evil = await fetch(`${t.url}/v1/me/get`, {
      method: 'OPTIONS',
      headers: { origin: EVIL, 'access-control-request-method': 'POST' },
    });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('exposes the request id but never the session token header to allowed origins, on errors too', async () => {
    const email = t.email();
    await t.backend.users.create({ email, password: DEFAULT_PASSWORD });
    const res = await rawPost(
      t,
      'auth/sign-in',
      { email, password: DEFAULT_PASSWORD },
      { origin: APP, 'gatehouse-token-transport': 'header' },
    );
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('access-control-expose-headers')).not.toContain('Gatehouse-Session-Token');
    expect(res.headers.get('access-control-expose-headers')).toContain('X-Request-Id');
    const failed = await rawPost(t, 'me/get', {}, { origin: APP });
    expect(failed.status).toBe(401);
    expect(failed.headers.get('access-control-allow-origin')).toBe(APP);
  });
});
