import { createClient, createConnector, GatehouseError } from '@gatehouse/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeIn, DEFAULT_PASSWORD } from './auth-helpers.js';
import { freePort, startTestGatehouse, type TestGatehouse } from './harness.js';

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example.net';

let t: TestGatehouse;
beforeAll(async () => {
  // PUBLIC_URL is the server's own address, so the connector's default forwarded Origin is allowed.
  const port = await freePort();
  t = await startTestGatehouse({ port, env: { PUBLIC_URL: `http://127.0.0.1:${port}` } });
});
afterAll(() => t.close());

/** What the connector sent upstream, for assertions on forwarded headers. */
interface Seen {
  url: string;
  headers: Headers;
}

function connectorFor(options: Partial<Parameters<typeof createConnector>[0]> = {}) {
  const seen: Seen[] = [];
  const connector = createConnector({
    gatehouseUrl: t.url,
    fetch: (input, init) => {
      seen.push({ url: String(input), headers: new Headers(init?.headers) });
      return fetch(input, init);
    },
    ...options,
  });
  return { connector, seen };
}

/** A browser on the app's origin: a cookie jar and the Origin header it always sends on POST. */
function browser(connector: (r: Request) => Promise<Response>, origin = APP) {
  const jar = new Map<string, string>();
  const browserFetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    headers.set('origin', origin);
    headers.set('sec-fetch-site', origin === APP ? 'same-origin' : 'cross-site');
    if (jar.size) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await connector(new Request(input, { ...init, headers }));
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, value] = (pair as string).split('=') as [string, string];
      if (value) jar.set(name, value);
      else jar.delete(name);
    }
    return response;
  };
  return { jar, client: createClient({ baseUrl: `${APP}/api/auth`, fetch: browserFetch }), fetch: browserFetch };
}

function post(path: string, body: unknown, headers: Record<string, string> = {}): Request {
  return new Request(`${APP}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

async function newUser() {
  const email = t.email('connector');
  await t.backend.users.create({ email, password: DEFAULT_PASSWORD });
  return email;
}

describe('connector', () => {
  it('signs a browser in on the app origin: host-only HttpOnly cookie, then cookie calls work', async () => {
    const { connector } = connectorFor();
    const b = browser(connector);
    const email = await newUser();
    const signedIn = await b.client.auth.signIn({ email, password: DEFAULT_PASSWORD });
    expect(signedIn.status).toBe('complete');
    expect(b.jar.get('__session')).toMatch(/^ses_/);
    const { user } = await b.client.me.get();
    expect(user.email).toBe(email);
    await b.client.auth.signOut();
    expect(b.jar.has('__session')).toBe(false);
    const after = await b.client.me.get().catch((e: unknown) => e);
    expect((after as GatehouseError).status).toBe(401);
  });

  it('passes Set-Cookie through untouched: no Domain, so the cookie belongs to the app', async () => {
    const { connector } = connectorFor();
    const email = await newUser();
    const res = await connector(post('/api/auth/v1/auth/sign-in', { email, password: DEFAULT_PASSWORD }, { origin: APP }));
    const [cookie] = res.headers.getSetCookie();
    expect(cookie).toMatch(/^__session=ses_.*HttpOnly/);
    expect(cookie).not.toMatch(/Domain=/i);
  });

  it('signs up with the emailed code through the connector', async () => {
    const { connector } = connectorFor();
    const b = browser(connector);
    const email = t.email('connector-signup');
    const started = await b.client.auth.signUp({ email, password: DEFAULT_PASSWORD });
    const messages = await t.backend.outbox.list({ to: email });
    const code = codeIn((messages.data[0] as { text: string }).text);
    const done = await b.client.auth.verifyEmail({ attemptId: started.attemptId, code });
    expect(done.status).toBe('complete');
    expect((await b.client.me.get()).user.email).toBe(email);
  });

  it('never hands the session token to page JavaScript, even when the page asks for the header transport', async () => {
    const { connector, seen } = connectorFor();
    const email = await newUser();
    const res = await connector(
      post('/api/auth/v1/auth/sign-in', { email, password: DEFAULT_PASSWORD }, { origin: APP, 'gatehouse-token-transport': 'header' }),
    );
    expect(res.status).toBe(200);
    expect(seen[0]?.headers.has('gatehouse-token-transport')).toBe(false);
    expect(res.headers.get('gatehouse-session-token')).toBeNull();
    expect(res.headers.getSetCookie()[0]).toMatch(/^__session=/);
  });

  it.each([
    ['another origin', { origin: EVIL }],
    ['no Origin', {}],
    ['a cross-site fetch', { origin: APP, 'sec-fetch-site': 'cross-site' }],
    ['a same-site (sibling subdomain) fetch', { origin: APP, 'sec-fetch-site': 'same-site' }],
  ])('refuses a state-changing request from %s before Gatehouse sees it', async (_, headers: Record<string, string>) => {
    const { connector, seen } = connectorFor();
    const email = await newUser();
    const res = await connector(post('/api/auth/v1/auth/sign-in', { email, password: DEFAULT_PASSWORD }, headers));
    expect(res.status).toBe(403);
    expect((await res.json()).errors[0].code).toBe('forbidden');
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(seen).toEqual([]);
  });

  it('surfaces a refusal as a GatehouseError with code forbidden', async () => {
    const { connector } = connectorFor();
    const evil = browser(connector, EVIL);
    const error = await evil.client.auth.signIn({ email: await newUser(), password: DEFAULT_PASSWORD }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatehouseError);
    expect((error as GatehouseError).code).toBe('forbidden');
  });

  it('with allowedOrigins, accepts those and refuses the request host itself', async () => {
    const other = 'https://www.example.com';
    const { connector } = connectorFor({ allowedOrigins: [other] });
    const email = await newUser();
    const ok = await connector(post('/api/auth/v1/auth/sign-in', { email, password: DEFAULT_PASSWORD }, { origin: other }));
    expect(ok.status).toBe(200);
    const refused = await connector(post('/api/auth/v1/auth/sign-in', { email, password: DEFAULT_PASSWORD }, { origin: APP }));
    expect(refused.status).toBe(403);
  });

  it('forwards only the __session cookie and the headers the API reads, with Origin rewritten', async () => {
    const { connector, seen } = connectorFor();
    await connector(
      post(
        '/api/auth/v1/session/get',
        {},
        { origin: APP, cookie: 'app_sid=secret; __session=ses_x.y; theme=dark', 'x-api-key': 'app-secret' },
      ),
    );
    const headers = seen[0]?.headers as Headers;
    expect(headers.get('cookie')).toBe('__session=ses_x.y');
    expect(headers.get('origin')).toBe(new URL(t.url).origin);
    expect(headers.has('x-api-key')).toBe(false);
    expect(headers.has('x-forwarded-for')).toBe(false);
  });

  it('sends X-Forwarded-For only from clientIp, never the one the browser sent', async () => {
    const { connector, seen } = connectorFor({ clientIp: () => '203.0.113.7' });
    await connector(post('/api/auth/v1/session/get', {}, { origin: APP, 'x-forwarded-for': '198.51.100.1' }));
    expect(seen[0]?.headers.get('x-forwarded-for')).toBe('203.0.113.7');
  });

  it.each([
    '/api/auth/backend/v1/users',
    '/api/auth/v1/../backend/v1/users',
    '/api/auth/v1/%2e%2e/backend/v1/users',
    '/api/auth/healthz',
    '/elsewhere/v1/session/get',
    '/api/authv1/session/get',
  ])('forwards the frontend API only: %s is 404', async (path) => {
    const { connector, seen } = connectorFor();
    const res = await connector(new Request(`${APP}${path}`, { headers: { origin: APP } }));
    expect(res.status).toBe(404);
    expect(seen).toEqual([]);
  });

  it('strips a custom mount path and keeps the query string', async () => {
    const { connector, seen } = connectorFor({ mountPath: '/auth/' });
    const res = await connector(post('/auth/v1/session/get', {}, { origin: APP }));
    expect(res.status).toBe(200);
    expect((await res.json()).data).toEqual({ session: null, user: null });
    await connector(new Request(`${APP}/auth/v1/organizations/org_x/invitations?status=pending`));
    expect(seen[1]?.url).toBe(`${t.url}/v1/organizations/org_x/invitations?status=pending`);
  });

  it('answers 503 unavailable with Retry-After when Gatehouse cannot be reached', async () => {
    const connector = createConnector({ gatehouseUrl: `http://127.0.0.1:${await freePort()}` });
    const res = await connector(post('/api/auth/v1/session/get', {}, { origin: APP }));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect((await res.json()).errors[0].code).toBe('unavailable');
  });
});
