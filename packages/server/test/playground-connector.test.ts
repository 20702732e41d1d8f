import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PASSWORD, sessionCookieOf } from './auth-helpers.js';
import { freePort, startTestGatehouse, type TestGatehouse } from './harness.js';

/**
 * /playground/api: the SDK's connector mounted on the server, which the playground's Provider
 * uses. It passes the frontend API and its session cookie through, and refuses state-changing
 * calls from origins outside ALLOWED_ORIGINS before the API sees them.
 */
const EVIL = 'https://evil.example.net';

let t: TestGatehouse;
let origin: string;
beforeAll(async () => {
  const port = await freePort();
  origin = `http://localhost:${port}`;
  t = await startTestGatehouse({ port, env: { PUBLIC_URL: origin } });
});
afterAll(() => t.close());

async function post(operation: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${t.url}/playground/api/v1/${operation}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { res, body: (await res.json()) as { data: unknown; errors: { code: string }[] | null; session: unknown } };
}

describe('the playground connector', () => {
  it('signs in with a host-only cookie and serves the session with it', async () => {
    const email = t.email('connector');
    const user = await t.backend.users.create({ email, password: DEFAULT_PASSWORD });
    const signIn = await post('auth/sign-in', { email, password: DEFAULT_PASSWORD }, { origin });
    expect(signIn.res.status).toBe(200);
    const [setCookie] = signIn.res.headers.getSetCookie();
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).not.toMatch(/Domain=/i);
    expect(signIn.res.headers.get('gatehouse-session-token')).toBeNull();
    const cookie = sessionCookieOf(signIn.res.headers) as string;

    const session = await post('session/get', {}, { origin, cookie });
    expect(session.res.status).toBe(200);
    expect((session.body.data as { user: { id: string } }).user.id).toBe(user.id);
  });

  it('refuses a cross-origin POST and a cookie POST without Origin (403), before the API runs', async () => {
    const email = t.email('csrf');
    await t.backend.users.create({ email, password: DEFAULT_PASSWORD });
    const evil = await post('auth/sign-in', { email, password: DEFAULT_PASSWORD }, { origin: EVIL });
    expect(evil.res.status).toBe(403);
    expect(evil.body.errors?.[0]?.code).toBe('forbidden');
    expect(evil.res.headers.getSetCookie()).toEqual([]);

    const crossSite = await post('auth/sign-in', { email, password: DEFAULT_PASSWORD }, { origin, 'sec-fetch-site': 'cross-site' });
    expect(crossSite.res.status).toBe(403);

    // A form post from this origin passes the connector, and the API refuses it before any work: JSON only.
    const form = await fetch(`${t.url}/playground/api/v1/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin },
      body: JSON.stringify({ email, password: DEFAULT_PASSWORD }),
    });
    expect(form.status).toBe(400);
    expect(form.headers.getSetCookie()).toEqual([]);

    const signIn = await post('auth/sign-in', { email, password: DEFAULT_PASSWORD }, { origin });
    const cookie = sessionCookieOf(signIn.res.headers) as string;
    const noOrigin = await post('organizations/create', { name: 'Forged Inc.' }, { cookie });
    expect(noOrigin.res.status).toBe(403);
    expect((await t.backend.organizations.list({ limit: 100 })).data.map((o) => o.name)).not.toContain('Forged Inc.');
  });

  it('forwards only /v1 (404 elsewhere) and keeps the header transport out', async () => {
    const res = await fetch(`${t.url}/playground/api/v1/../../backend/v1/users`, { method: 'POST', headers: { origin } });
    expect([404, 405]).toContain(res.status);
    const email = t.email('transport');
    await t.backend.users.create({ email, password: DEFAULT_PASSWORD });
    const signIn = await post('auth/sign-in', { email, password: DEFAULT_PASSWORD }, { origin, 'gatehouse-token-transport': 'header' });
    expect(signIn.res.status).toBe(200);
    expect(signIn.res.headers.get('gatehouse-session-token')).toBeNull();
    expect(sessionCookieOf(signIn.res.headers)).toBeDefined();
  });
});
