import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

/** An account the test OpenID provider knows: signing in as it needs only its `sub` as `login_hint`. */
export interface TestAccount {
  sub: string;
  email?: string;
  email_verified?: boolean;
  given_name?: string;
  family_name?: string;
}

export interface TestOpenIdProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Add (or replace) an account. */
  account(account: TestAccount): void;
  close(): Promise<void>;
}

/**
 * A real OpenID provider (`oidc-provider`) on a loopback port, with one confidential client whose
 * redirect URI is Gatehouse's callback. Its interaction signs in the account named by the
 * request's `login_hint` and consents to every requested scope, so a test follows the redirects
 * by hand with no HTML forms; everything else (PKCE, nonce, codes, tokens) is the library's.
 */
export async function startOpenIdProvider(redirectUri: string): Promise<TestOpenIdProvider> {
  const accounts = new Map<string, TestAccount>();
  const clientId = 'gatehouse-test';
  const clientSecret = 'test-client-secret-0123456789abcdef';
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const provider = new Provider(issuer, {
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: 'test', use: 'sig', alg: 'RS256' }] },
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    pkce: { required: () => true },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['given_name', 'family_name'] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['test-cookie-key-not-secret'] },
    async findAccount(_ctx, sub) {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return { accountId: sub, claims: () => ({ ...account }) };
    },
  });
  const callback = provider.callback();
  server.on('request', async (req, res) => {
    if (!req.url?.startsWith('/interaction/')) return callback(req, res);
    try {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name === 'login') {
        const login = String(details.params.login_hint ?? '');
        if (!accounts.has(login)) {
          await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'unknown test account' });
          return;
        }
        await provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
        return;
      }
      const grant = details.grantId
        ? await provider.Grant.find(details.grantId)
        : new provider.Grant({ accountId: details.session?.accountId as string, clientId: details.params.client_id as string });
      if (!grant) throw new Error('grant vanished');
      const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    } catch (error) {
      res.statusCode = 500;
      res.end(String(error));
    }
  });
  return {
    issuer,
    clientId,
    clientSecret,
    account: (account) => accounts.set(account.sub, account),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Cookies by origin, as a browser keeps them (paths ignored: every test path is under the cookie's). */
export interface CookieJar {
  /** The `Cookie` header for a URL, if any. */
  header(url: string): string | undefined;
  get(url: string, name: string): string | undefined;
  /** A `fetch` that sends and keeps this jar's cookies and never follows redirects. */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
}

export function cookieJar(): CookieJar {
  const jar = new Map<string, Map<string, string>>();
  const header = (url: string) => {
    const cookies = jar.get(new URL(url).origin);
    if (!cookies || cookies.size === 0) return undefined;
    return [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  };
  const store = (url: string, response: Response) => {
    const origin = new URL(url).origin;
    const cookies = jar.get(origin) ?? new Map<string, string>();
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((p) => p.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const gone = attributes.some((a) => /^max-age=0$/i.test(a) || (/^expires=/i.test(a) && new Date(a.slice(8)).getTime() < Date.now()));
      if (gone || value === '') cookies.delete(name);
      else cookies.set(name, value);
    }
    jar.set(origin, cookies);
  };
  return {
    header,
    get: (url, name) => jar.get(new URL(url).origin)?.get(name),
    async fetch(input, init = {}) {
      const url = input instanceof Request ? input.url : String(input);
      const headers = new Headers(init.headers ?? (input instanceof Request ? input.headers : undefined));
      const cookie = header(url);
      if (cookie) headers.set('cookie', cookie);
      const response = await fetch(input, { ...init, headers, redirect: 'manual' });
      store(url, response);
      return response;
    },
  };
}
