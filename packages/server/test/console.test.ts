import { createBackendClient, GatehouseError } from '@gatehouse/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGatehouse, type TestGatehouse } from './harness.js';

const MINUTE = 60 * 1000;
/** The harness's PUBLIC_URL, whose origin is the only one the console answers. */
const ORIGIN = 'http://localhost:8787';

let t: TestGatehouse;
beforeAll(async () => {
  // A small limit, so the wrong-key test reaches it in a few tries; wrong keys are tried in one test only.
  t = await startTestGatehouse({ env: { RATE_LIMITS: 'consoleSignInIp=4/900' } });
});
afterAll(() => t.close());

interface Signed {
  cookie: string;
  csrfToken: string;
  expiresAt: string;
  setCookie: string;
}

async function signIn(secretKey: string): Promise<Signed> {
  const response = await fetch(`${t.url}/console/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: ORIGIN, 'sec-fetch-site': 'same-origin' },
    body: JSON.stringify({ secretKey }),
  });
  expect(response.status).toBe(200);
  const setCookie = response.headers.get('set-cookie') ?? '';
  const body = (await response.json()) as { csrfToken: string; expiresAt: string };
  return { cookie: setCookie.split(';')[0] as string, csrfToken: body.csrfToken, expiresAt: body.expiresAt, setCookie };
}

/** A backend client of the SDK that goes through /console/api with the cookie and CSRF proof, as the console app does. */
function consoleClient(s: { cookie: string; csrfToken?: string }, extra: Record<string, string> = { origin: ORIGIN }) {
  return createBackendClient({
    baseUrl: t.url,
    secretKey: 'unused',
    fetch: (url, init) => {
      const headers = new Headers(init?.headers);
      headers.delete('authorization');
      headers.set('cookie', s.cookie);
      if (s.csrfToken) headers.set('x-console-csrf', s.csrfToken);
      for (const [k, v] of Object.entries(extra)) headers.set(k, v);
      return fetch(String(url).replace('/backend/v1/', '/console/api/'), { ...init, headers });
    },
  });
}

async function refusal(promise: Promise<unknown>): Promise<GatehouseError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GatehouseError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('the console page', () => {
  it('is linked from GET /, and served under its own CSP on every console path', async () => {
    expect(await (await fetch(`${t.url}/`)).text()).toContain('href="/console"');
    for (const path of ['/console', '/console/users', '/console/organizations/org_x/audit']) {
      const response = await fetch(`${t.url}${path}`);
      // 503 with the command to run when the bundle is not built (this suite does not build it).
      expect([200, 503]).toContain(response.status);
      expect(response.headers.get('content-type')).toMatch(/text\/html/);
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    }
    expect((await fetch(`${t.url}/console/assets/..%2Fpackage.json`)).status).toBe(404);
  });
});

describe('console sign-in', () => {
  it('exchanges a secret key for an HttpOnly, SameSite=Strict cookie on /console and a CSRF proof', async () => {
    const s = await signIn(t.secretKey);
    expect(s.setCookie).toMatch(/^gh_console=/);
    expect(s.setCookie).toMatch(/HttpOnly/i);
    expect(s.setCookie).toMatch(/SameSite=Strict/i);
    expect(s.setCookie).toMatch(/Path=\/console/);
    // PUBLIC_URL is http here: no Secure flag (the browser would drop the cookie).
    expect(s.setCookie).not.toMatch(/Secure/i);
    expect(s.csrfToken).toMatch(/^[0-9a-z]{40,}$/i);
    expect(new Date(s.expiresAt).getTime() - t.clock.now().getTime()).toBeLessThanOrEqual(30 * MINUTE);

    // The console calls the backend API through the SDK, as the key's admin principal.
    const api = consoleClient(s);
    const user = await api.users.create({ email: t.email('console') });
    expect((await api.users.get(user.id)).id).toBe(user.id);

    // A reloaded page gets its proof back with the cookie alone, same-origin.
    const again = await fetch(`${t.url}/console/session`, { headers: { cookie: s.cookie, 'sec-fetch-site': 'same-origin' } });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { csrfToken: string }).csrfToken).toBe(s.csrfToken);
  });

  it('makes a new session at every sign-in, and ends the one the browser brought along', async () => {
    const first = await signIn(t.secretKey);
    const response = await fetch(`${t.url}/console/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN, cookie: first.cookie },
      body: JSON.stringify({ secretKey: t.secretKey }),
    });
    expect(response.status).toBe(200);
    const second = (response.headers.get('set-cookie') ?? '').split(';')[0] as string;
    expect(second).not.toBe(first.cookie);
    expect((await refusal(consoleClient(first).users.list())).status).toBe(401);
    const { csrfToken } = (await response.json()) as { csrfToken: string };
    await consoleClient({ cookie: second, csrfToken }).users.list();
  });

  it('marks the cookie Secure when PUBLIC_URL is https', async () => {
    const https = await startTestGatehouse({ env: { PUBLIC_URL: 'https://auth.example.com' } });
    try {
      const response = await fetch(`${https.url}/console/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'https://auth.example.com' },
        body: JSON.stringify({ secretKey: https.secretKey }),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('set-cookie')).toMatch(/; Secure/);
    } finally {
      await https.close();
    }
  });

  it('refuses a wrong key with 401 and a clear message, then rate limits the IP with 429 and Retry-After', async () => {
    const attempt = (secretKey: string) =>
      fetch(`${t.url}/console/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN },
        body: JSON.stringify({ secretKey }),
      });
    const wrong = await attempt('sk_live_wrong');
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const body = (await wrong.json()) as { errors: { code: string; message: string }[] };
    expect(body.errors[0]).toMatchObject({ code: 'unauthenticated', message: expect.stringMatching(/not valid or was revoked/) });
    // A right key gives its point back: it does not count toward the limit.
    await signIn(t.secretKey);
    for (let i = 0; i < 3; i++) expect((await attempt(`sk_live_wrong${i}`)).status).toBe(401);
    const limited = await attempt('sk_live_wrong-again');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Limited means limited: even the right key waits, so guessing cannot go on.
    expect((await attempt(t.secretKey)).status).toBe(429);
    await t.gatehouse.deps.rateLimiter.reset('consoleSignInIp', '127.0.0.1');
  });

  it('refuses sign-in from another origin (login CSRF) and one without an Origin', async () => {
    const post = (headers: Record<string, string>) =>
      fetch(`${t.url}/console/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ secretKey: t.secretKey }),
      });
    const cases: Record<string, string>[] = [{ origin: 'https://evil.example' }, {}, { origin: ORIGIN, 'sec-fetch-site': 'cross-site' }];
    for (const headers of cases) {
      const response = await post(headers);
      expect(response.status).toBe(403);
      expect(response.headers.get('set-cookie')).toBeNull();
    }
  });
});

describe('the console API', () => {
  it('refuses a stolen cookie without its CSRF proof, or with a wrong one, and writes nothing', async () => {
    const s = await signIn(t.secretKey);
    const email = t.email('stolen');
    for (const proof of [undefined, 'wrong-proof']) {
      const error = await refusal(consoleClient({ cookie: s.cookie, ...(proof ? { csrfToken: proof } : {}) }).users.create({ email }));
      expect(error.status).toBe(403);
      expect(error.message).toMatch(/CSRF proof/);
      expect(error.requestId).toMatch(/^req_/);
    }
    expect((await t.backend.users.list({ email })).data).toEqual([]);
  });

  it('refuses cross-origin requests even with the cookie and the proof', async () => {
    const s = await signIn(t.secretKey);
    const evil = await refusal(consoleClient(s, { origin: 'https://evil.example' }).users.list());
    expect(evil.status).toBe(403);
    const crossSite = await refusal(consoleClient(s, { 'sec-fetch-site': 'cross-site' }).users.list());
    expect(crossSite.status).toBe(403);
    // A customer app in ALLOWED_ORIGINS may call the frontend API, never the console.
    const sameSite = await refusal(consoleClient(s, { 'sec-fetch-site': 'same-site' }).users.list());
    expect(sameSite.status).toBe(403);
    const session = await fetch(`${t.url}/console/session`, { headers: { cookie: s.cookie, 'sec-fetch-site': 'cross-site' } });
    expect(session.status).toBe(403);
    // A change without any Origin is refused too (browsers always send one on a POST).
    const noOrigin = await refusal(consoleClient(s, {}).users.create({ email: t.email('no-origin') }));
    expect(noOrigin.status).toBe(403);
  });

  it('refuses a secret key on /console/api: the console never holds one', async () => {
    const response = await fetch(`${t.url}/console/api/users`, {
      headers: { authorization: `Bearer ${t.secretKey}`, origin: ORIGIN },
    });
    expect(response.status).toBe(403);
  });

  it('answers 401 without a session, with the message and the request id', async () => {
    const error = await refusal(consoleClient({ cookie: 'gh_console=nope', csrfToken: 'x' }).users.list());
    expect(error.status).toBe(401);
    expect(error.code).toBe('unauthenticated');
    expect(error.message).toMatch(/console session has ended/);
    expect(error.requestId).toMatch(/^req_/);
  });

  it('shows the API error of the backend operation, with its request id', async () => {
    const s = await signIn(t.secretKey);
    const error = await refusal(consoleClient(s).users.get('user_01jd5x3k8m2q4r6t8v0w2y4a6c'));
    expect(error.status).toBe(404);
    expect(error.code).toBe('not_found');
    expect(error.requestId).toMatch(/^req_/);
  });
});

describe('console session end', () => {
  it('ends after 30 minutes idle, and activity keeps it alive', async () => {
    const s = await signIn(t.secretKey);
    const api = consoleClient(s);
    t.clock.advance(20 * MINUTE);
    await api.users.list();
    t.clock.advance(20 * MINUTE);
    await api.users.list();
    t.clock.advance(31 * MINUTE);
    expect((await refusal(api.users.list())).status).toBe(401);
    const reload = await fetch(`${t.url}/console/session`, { headers: { cookie: s.cookie } });
    expect(reload.status).toBe(401);
  });

  it('ends 8 hours after sign-in, however active', async () => {
    const s = await signIn(t.secretKey);
    const api = consoleClient(s);
    for (let elapsed = 0; elapsed < 8 * 60; elapsed += 25) {
      await api.users.list();
      t.clock.advance(25 * MINUTE);
    }
    expect((await refusal(api.users.list())).status).toBe(401);
  });

  it('signs out: the cookie is cleared and the old one no longer works', async () => {
    const s = await signIn(t.secretKey);
    // Sign-out needs the proof too, so another site cannot sign the operator out.
    const forged = await fetch(`${t.url}/console/session`, { method: 'DELETE', headers: { cookie: s.cookie, origin: ORIGIN } });
    expect(forged.status).toBe(403);
    const out = await fetch(`${t.url}/console/session`, {
      method: 'DELETE',
      headers: { cookie: s.cookie, origin: ORIGIN, 'x-console-csrf': s.csrfToken },
    });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/gh_console=;.*Max-Age=0/);
    expect((await refusal(consoleClient(s).users.list())).status).toBe(401);
  });

  it('ends every console session of a key when the key is revoked', async () => {
    const { secretKey, secret } = await t.backend.keys.create({ name: 'Console operator' });
    const s = await signIn(secret);
    const api = consoleClient(s);
    await api.users.list();
    const other = consoleClient(await signIn(t.secretKey));
    await t.backend.keys.revoke(secretKey.id);
    expect((await refusal(api.users.list())).status).toBe(401);
    // Sessions of other keys are untouched.
    await other.users.list();
  });

  it('writes the audit events of console calls as the key that opened the session', async () => {
    const { secretKey, secret } = await t.backend.keys.create({ name: 'Auditor' });
    const api = consoleClient(await signIn(secret));
    const owner = await t.backend.users.create({ email: t.email('owner') });
    const organization = await api.organizations.create({ name: 'Console org', createdBy: owner.id });
    const events = (await t.backend.organizations.auditLog.list(organization.id)).data;
    expect(events[0]).toMatchObject({ actor: { type: 'admin', id: secretKey.id } });
  });

  it('filters the audit log by action and by actor, page by page', async () => {
    const api = consoleClient(await signIn(t.secretKey));
    const owner = await t.backend.users.create({ email: t.email('owner') });
    const organization = await api.organizations.create({ name: 'Filtered', createdBy: owner.id });
    const members = [];
    for (let i = 0; i < 3; i++) {
      const user = await t.backend.users.create({ email: t.email('member') });
      members.push(await api.organizations.members.add(organization.id, { userId: user.id, role: 'member' }));
    }
    const log = api.organizations.auditLog;
    const added = await log.list(organization.id, { action: 'member.added', limit: 2 });
    expect(added.data.map((e) => e.action)).toEqual(['member.added', 'member.added']);
    expect(added.hasMore).toBe(true);
    const rest = await log.list(organization.id, { action: 'member.added', limit: 2, cursor: added.nextCursor as string });
    // Three added here, and the owner at creation.
    expect(rest.data).toHaveLength(2);
    expect(rest.hasMore).toBe(false);
    const byEnvKey = await log.list(organization.id, { actorId: 'env' });
    expect(byEnvKey.data.length).toBeGreaterThanOrEqual(4);
    expect(byEnvKey.data.every((e) => e.actor.id === 'env')).toBe(true);
    expect((await log.list(organization.id, { actorId: owner.id })).data).toEqual([]);
  });
});
