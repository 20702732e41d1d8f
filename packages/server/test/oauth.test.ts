import { createHash, randomBytes } from 'node:crypto';
import type { OAuthProvider } from '@gatehouse/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decrypt } from '../src/security/encryption.js';
import { totpCodeAt } from '../src/security/totp.js';
import { DEFAULT_PASSWORD, failure, signedInClient } from './auth-helpers.js';
import { freePort, startTestGatehouse, type TestGatehouse } from './harness.js';
import { type CookieJar, cookieJar, startOpenIdProvider, type TestAccount, type TestOpenIdProvider } from './oidc-provider.js';

// The whole redirect flow against a real OpenID provider (oidc-provider) on loopback, followed by
// hand like a browser: a cookie jar per browser, redirects read from `Location`.
const APP = 'http://localhost:3000';
const RETURN = `${APP}/signed-in?from=oauth`;
const MINUTE = 60_000;

let t: TestGatehouse;
let op: TestOpenIdProvider;
let publicUrl: string;
let provider: OAuthProvider;
const run = randomBytes(3).toString('hex');
let accounts = 0;

beforeAll(async () => {
  const port = await freePort();
  publicUrl = `http://127.0.0.1:${port}`;
  op = await startOpenIdProvider(`${publicUrl}/v1/auth/oauth/callback`);
  t = await startTestGatehouse({ port, env: { PUBLIC_URL: publicUrl, ALLOWED_ORIGINS: APP } });
  provider = await t.backend.oauthProviders.create({
    type: 'oidc',
    name: 'Test IdP',
    issuer: op.issuer,
    clientId: op.clientId,
    clientSecret: op.clientSecret,
  });
});
afterAll(async () => {
  await t.close();
  await op.close();
});

/** A new account at the provider (a verified email unless told otherwise). */
function account(fields: Partial<TestAccount> = {}): TestAccount {
  const created: TestAccount = {
    sub: `acct-${run}-${++accounts}`,
    email: t.email('social'),
    email_verified: true,
    given_name: 'Ada',
    ...fields,
  };
  op.account(created);
  return created;
}

/** A frontend client in this browser: its cookies, from the app's origin. */
const browserClient = (jar: CookieJar) => t.client({ fetch: jar.fetch, headers: { origin: APP } });

/** `auth/oauth/start` from this browser: the provider URL, with the account to sign in as. */
async function start(jar: CookieJar, sub: string, input: { providerId?: string; redirectUrl?: string } = {}): Promise<URL> {
  const { authorizationUrl } = await browserClient(jar).auth.oauth.start({
    providerId: input.providerId ?? provider.id,
    redirectUrl: input.redirectUrl ?? RETURN,
  });
  const url = new URL(authorizationUrl);
  url.searchParams.set('login_hint', sub);
  return url;
}

/** Follow redirects through the provider until one points at Gatehouse's callback: that URL (not yet visited). */
async function throughProvider(jar: CookieJar, from: URL): Promise<URL> {
  let next = from.toString();
  for (let hop = 0; hop < 12; hop++) {
    if (next.startsWith(`${publicUrl}/v1/auth/oauth/callback`)) return new URL(next);
    const response = await jar.fetch(next);
    const location = response.headers.get('location');
    if (!location) throw new Error(`${next} answered ${response.status} without a redirect: ${await response.text()}`);
    next = new URL(location, next).toString();
  }
  throw new Error('too many redirects');
}

/** Visit the callback: status, where it sends the browser, and the page when it does not. */
async function visit(jar: CookieJar, url: URL) {
  const response = await jar.fetch(url);
  return { status: response.status, location: response.headers.get('location'), text: await response.text() };
}

/** The whole flow in one browser: start, the provider, the callback. */
async function signIn(jar: CookieJar, sub: string, tamper?: (authorizationUrl: URL) => void) {
  const url = await start(jar, sub);
  tamper?.(url);
  return visit(jar, await throughProvider(jar, url));
}

const errorOf = (location: string | null) => (location ? new URL(location).searchParams.get('error') : undefined);
const sessionCookie = (jar: CookieJar) => jar.get(publicUrl, '__session');
const db = () => t.gatehouse.deps.db;

async function connectionsOf(userId: string) {
  return (await t.backend.users.socialConnections.list(userId)).data;
}

async function userIdByEmail(email: string) {
  const found = await t.backend.users.list({ email });
  return found.data[0]?.id;
}

describe('signing in through an OpenID provider', () => {
  it('creates the user on first sign-in, sets the session cookie and goes back to redirectUrl', async () => {
    const who = account({ given_name: 'Ada', family_name: 'Lovelace' });
    const jar = cookieJar();
    const done = await signIn(jar, who.sub);
    expect(done.status).toBe(302);
    expect(done.location).toBe(RETURN);
    expect(sessionCookie(jar)).toBeTruthy();
    // The browser-binding cookie is spent with the state.
    expect(jar.get(publicUrl, '__gatehouse_oauth')).toBeUndefined();

    const { user } = await browserClient(jar).me.get();
    expect(user).toMatchObject({ email: who.email, firstName: 'Ada', lastName: 'Lovelace', hasPassword: false });
    expect(user.emails).toEqual([expect.objectContaining({ email: who.email, verified: true, primary: true })]);

    const { connections } = await browserClient(jar).me.socialConnections.list();
    expect(connections).toEqual([
      {
        id: expect.stringMatching(/^soc_/),
        providerId: provider.id,
        providerType: 'oidc',
        providerName: 'Test IdP',
        email: who.email,
        emailVerified: true,
        createdAt: expect.any(String),
        lastUsedAt: expect.any(String),
      },
    ]);
    expect(await connectionsOf(user.id)).toEqual(connections);

    // The provider's tokens are kept encrypted, and no answer carries them.
    const row = await db().selectFrom('social_connections').selectAll().where('user_id', '=', user.id).executeTakeFirstOrThrow();
    const key = t.gatehouse.deps.encryptionKey;
    expect(row.access_token_encrypted).toMatch(/^v1\./);
    expect(row.id_token_encrypted).toMatch(/^v1\./);
    const accessToken = decrypt(key, row.access_token_encrypted as string, `${row.id}:access`);
    const idToken = decrypt(key, row.id_token_encrypted as string, `${row.id}:id`);
    expect(idToken.split('.')).toHaveLength(3);
    for (const text of [JSON.stringify(connections), JSON.stringify(await t.backend.users.get(user.id))]) {
      expect(text).not.toContain(accessToken);
      expect(text).not.toContain(idToken.split('.')[1]);
    }

    const events = await db()
      .selectFrom('audit_events')
      .select(['action', 'actor_type', 'actor_id', 'data'])
      .where('target_id', '=', user.id)
      .execute();
    expect(events).toEqual([
      {
        action: 'user.social_connection_linked',
        actor_type: 'user',
        actor_id: user.id,
        data: { connectionId: connections[0]?.id, providerId: provider.id, userCreated: true },
      },
    ]);
  });

  it('signs the same user in again through the connection, whatever the email does', async () => {
    const who = account();
    const first = cookieJar();
    await signIn(first, who.sub);
    const userId = (await browserClient(first).me.get()).user.id;
    // The provider now says another (unverified) address: the link is by subject, not email.
    op.account({ ...who, email: t.email('changed'), email_verified: false });
    const again = cookieJar();
    const done = await signIn(again, who.sub);
    expect(done.location).toBe(RETURN);
    expect((await browserClient(again).me.get()).user.id).toBe(userId);
    expect(await connectionsOf(userId)).toHaveLength(1);
  });

  it('creates a user with an unverified email when the provider does not verify it', async () => {
    const who = account({ email_verified: false });
    const jar = cookieJar();
    expect((await signIn(jar, who.sub)).location).toBe(RETURN);
    const { user } = await browserClient(jar).me.get();
    expect(user.emails).toEqual([expect.objectContaining({ email: who.email, verified: false })]);
  });

  it('links to an existing account only when the provider verified the email', async () => {
    const email = t.email('existing');
    const existing = await t.backend.users.create({ email, password: DEFAULT_PASSWORD });

    const unverified = account({ email, email_verified: false });
    const refused = cookieJar();
    const no = await signIn(refused, unverified.sub);
    expect(errorOf(no.location)).toBe('oauth_account_exists_unverified');
    expect(new URL(no.location as string).searchParams.get('from')).toBe('oauth');
    expect(sessionCookie(refused)).toBeUndefined();
    expect(await connectionsOf(existing.id)).toEqual([]);

    const verified = account({ email, email_verified: true });
    const jar = cookieJar();
    expect((await signIn(jar, verified.sub)).location).toBe(RETURN);
    expect((await browserClient(jar).me.get()).user.id).toBe(existing.id);
    expect(await connectionsOf(existing.id)).toEqual([expect.objectContaining({ email, emailVerified: true })]);
    // One user, not two.
    expect((await t.backend.users.list({ email })).data).toHaveLength(1);
  });

  it('does not link to an account whose own address is unverified', async () => {
    const email = t.email('unverified-here');
    const existing = await t.backend.users.create({ email, emailVerified: false });
    const who = account({ email, email_verified: true });
    const jar = cookieJar();
    expect(errorOf((await signIn(jar, who.sub)).location)).toBe('oauth_account_exists_unverified');
    expect(await connectionsOf(existing.id)).toEqual([]);
  });

  it('refuses a provider account without an email', async () => {
    const who = account({ email: undefined, email_verified: undefined });
    const jar = cookieJar();
    const done = await signIn(jar, who.sub);
    expect(errorOf(done.location)).toBe('oauth_email_missing');
    expect(sessionCookie(jar)).toBeUndefined();
  });

  it('sends the user back with oauth_access_denied when the provider refuses', async () => {
    const jar = cookieJar();
    const done = await signIn(jar, `nobody-${run}`);
    expect(errorOf(done.location)).toBe('oauth_access_denied');
  });

  it('works from a plain link too: GET /v1/auth/oauth/start redirects to the provider', async () => {
    const who = account();
    const jar = cookieJar();
    const link = `${publicUrl}/v1/auth/oauth/start?${new URLSearchParams({ providerId: provider.id, redirectUrl: RETURN })}`;
    const response = await jar.fetch(link);
    expect(response.status).toBe(302);
    const url = new URL(response.headers.get('location') as string);
    expect(url.origin).toBe(op.issuer);
    url.searchParams.set('login_hint', who.sub);
    expect((await visit(jar, await throughProvider(jar, url))).location).toBe(RETURN);
    expect(sessionCookie(jar)).toBeTruthy();
  });
});

describe('the checks of the flow', () => {
  it('sends state, PKCE (S256) and a nonce, and keeps them server-side only', async () => {
    const jar = cookieJar();
    const url = await start(jar, 'whoever');
    const params = Object.fromEntries(url.searchParams);
    expect(params).toMatchObject({
      client_id: op.clientId,
      redirect_uri: `${publicUrl}/v1/auth/oauth/callback`,
      response_type: 'code',
      code_challenge_method: 'S256',
      scope: 'openid email profile',
    });
    for (const p of ['state', 'nonce', 'code_challenge']) expect(params[p]).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    const stored = await db()
      .selectFrom('oauth_states')
      .selectAll()
      .where(
        'state_hash',
        '=',
        createHash('sha256')
          .update(params.state as string)
          .digest('hex'),
      )
      .executeTakeFirstOrThrow();
    expect(stored.nonce).toBe(params.nonce);
    expect(stored.code_verifier_encrypted).toMatch(/^v1\./);
    expect(stored.expires_at.getTime() - stored.created_at.getTime()).toBe(10 * MINUTE);
  });

  it('refuses a state it never issued, with a page and no redirect', async () => {
    const who = account();
    const jar = cookieJar();
    const callback = await throughProvider(jar, await start(jar, who.sub));
    callback.searchParams.set('state', 'x'.repeat(43));
    const done = await visit(jar, callback);
    expect([done.status, done.location]).toEqual([400, null]);
    expect(done.text).toContain('unknown or was already used');
    expect(sessionCookie(jar)).toBeUndefined();
  });

  it('works once: a replayed callback is refused and signs nobody in', async () => {
    const who = account();
    const jar = cookieJar();
    const callback = await throughProvider(jar, await start(jar, who.sub));
    expect((await visit(jar, callback)).location).toBe(RETURN);
    const attacker = cookieJar();
    const replay = await visit(attacker, callback);
    expect([replay.status, replay.location]).toEqual([400, null]);
    expect(sessionCookie(attacker)).toBeUndefined();
  });

  it('of two callbacks with one state at once, exactly one signs in', async () => {
    const who = account();
    const jar = cookieJar();
    const callback = await throughProvider(jar, await start(jar, who.sub));
    const cookie = jar.header(publicUrl) as string;
    const visits = await Promise.all([0, 1].map(() => fetch(callback, { headers: { cookie }, redirect: 'manual' })));
    const outcomes = visits.map((r) => [r.status, r.headers.get('location')]).sort();
    expect(outcomes).toEqual([
      [302, RETURN],
      [400, null],
    ]);
    expect(visits.filter((r) => r.headers.getSetCookie().some((c) => c.startsWith('__session=')))).toHaveLength(1);
  });

  it('two first sign-ins of one provider account at once make one user and one connection', async () => {
    const who = account();
    const jars = [cookieJar(), cookieJar()];
    const callbacks = await Promise.all(jars.map(async (jar) => throughProvider(jar, await start(jar, who.sub))));
    const done = await Promise.all(jars.map((jar, i) => visit(jar, callbacks[i] as URL)));
    // Each is signed in, or (when both met at the unique index) told the account was linked meanwhile.
    for (const d of done) expect([RETURN, `${RETURN}&error=oauth_already_linked`]).toContain(d.location);
    expect(done.some((d) => d.location === RETURN)).toBe(true);
    const users = (await t.backend.users.list({ email: who.email as string })).data;
    expect(users).toHaveLength(1);
    expect(await connectionsOf(users[0]?.id as string)).toHaveLength(1);
  });

  it('refuses a callback in another browser than the one that started (login CSRF)', async () => {
    const who = account();
    const attackerBrowser = cookieJar();
    const callback = await throughProvider(attackerBrowser, await start(attackerBrowser, who.sub));
    const victim = cookieJar();
    const done = await visit(victim, callback);
    expect(errorOf(done.location)).toBe('oauth_state_mismatch');
    expect(sessionCookie(victim)).toBeUndefined();
    // The state is spent: the attacker's own browser cannot use it afterwards either.
    expect((await visit(attackerBrowser, callback)).status).toBe(400);
  });

  it('refuses when the PKCE challenge sent was not the one for the stored verifier', async () => {
    const who = account();
    const jar = cookieJar();
    const other = createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url');
    const done = await signIn(jar, who.sub, (url) => url.searchParams.set('code_challenge', other));
    expect(errorOf(done.location)).toBe('oauth_failed');
    expect(sessionCookie(jar)).toBeUndefined();
    expect(await userIdByEmail(who.email as string)).toBeUndefined();
  });

  it('refuses an ID token with another nonce', async () => {
    const who = account();
    const jar = cookieJar();
    const done = await signIn(jar, who.sub, (url) => url.searchParams.set('nonce', randomBytes(32).toString('base64url')));
    expect(errorOf(done.location)).toBe('oauth_failed');
    expect(sessionCookie(jar)).toBeUndefined();
    expect(await userIdByEmail(who.email as string)).toBeUndefined();
  });

  it('refuses a sign-in older than 10 minutes', async () => {
    const who = account();
    const jar = cookieJar();
    const callback = await throughProvider(jar, await start(jar, who.sub));
    t.clock.advance(10 * MINUTE + 1000);
    const done = await visit(jar, callback);
    expect(errorOf(done.location)).toBe('oauth_expired');
    expect(sessionCookie(jar)).toBeUndefined();
  });

  it('only redirects to allowed origins', async () => {
    const jar = cookieJar();
    for (const redirectUrl of ['https://evil.example/steal', 'http://localhost:3001/', `${APP}.evil.example/`]) {
      const error = await failure(browserClient(jar).auth.oauth.start({ providerId: provider.id, redirectUrl }));
      expect([error.status, error.code]).toEqual([400, 'invalid_request']);
    }
    const scheme = await failure(browserClient(jar).auth.oauth.start({ providerId: provider.id, redirectUrl: 'javascript:alert(1)' }));
    expect(scheme.code).toBe('invalid_request');
    const link = await jar.fetch(
      `${publicUrl}/v1/auth/oauth/start?${new URLSearchParams({ providerId: provider.id, redirectUrl: 'https://evil.example/' })}`,
    );
    expect([link.status, link.headers.get('location')]).toEqual([400, null]);
    expect(await db().selectFrom('oauth_states').select('state_hash').where('redirect_url', 'like', '%evil%').execute()).toEqual([]);
    // PUBLIC_URL's own origin is allowed.
    expect(
      (await browserClient(jar).auth.oauth.start({ providerId: provider.id, redirectUrl: `${publicUrl}/done` })).authorizationUrl,
    ).toMatch(op.issuer);
  });

  it('a disabled provider starts nothing and finishes nothing in flight', async () => {
    const other = await t.backend.oauthProviders.create({
      type: 'oidc',
      issuer: op.issuer,
      clientId: op.clientId,
      clientSecret: op.clientSecret,
    });
    const who = account();
    const jar = cookieJar();
    const callback = await throughProvider(jar, await start(jar, who.sub, { providerId: other.id }));
    expect((await t.client().auth.oauth.providers()).providers.map((p) => p.id)).toContain(other.id);
    await t.backend.oauthProviders.update(other.id, { enabled: false });
    expect((await t.client().auth.oauth.providers()).providers.map((p) => p.id)).not.toContain(other.id);
    expect(errorOf((await visit(jar, callback)).location)).toBe('oauth_provider_disabled');
    const error = await failure(browserClient(jar).auth.oauth.start({ providerId: other.id, redirectUrl: RETURN }));
    expect([error.status, error.code]).toEqual([400, 'invalid_request']);
    await t.backend.oauthProviders.delete(other.id);
  });
});

describe('a second factor after a social sign-in', () => {
  it('gives no session until the TOTP code, and the SignIn step continues from the redirect', async () => {
    const who = account();
    const first = cookieJar();
    await signIn(first, who.sub);
    const userId = (await browserClient(first).me.get()).user.id;
    const secret = 'JBSWY3DPEHPK3PXP';
    await t.backend.users.mfa.createAuthenticator(userId, { secret });

    const jar = cookieJar();
    const done = await signIn(jar, who.sub);
    const back = new URL(done.location as string);
    expect(back.origin + back.pathname).toBe(`${APP}/signed-in`);
    expect(back.searchParams.get('oauth')).toBe('needs_second_factor');
    expect(back.searchParams.get('factors')).toBe('totp');
    const attemptId = back.searchParams.get('attemptId') as string;
    expect(attemptId).toMatch(/^att_/);
    expect(sessionCookie(jar)).toBeUndefined();

    const wrong = await failure(browserClient(jar).auth.secondFactor({ attemptId, code: '000000' }));
    expect(wrong.code).toBe('invalid_credentials');
    const finished = await browserClient(jar).auth.secondFactor({ attemptId, code: totpCodeAt(secret, t.clock.now()) });
    expect(finished).toMatchObject({ status: 'complete', user: { id: userId } });
    expect(sessionCookie(jar)).toBeTruthy();
    expect((await browserClient(jar).me.get()).user.id).toBe(userId);
  });
});

describe('social connections', () => {
  it('refuses to unlink the last way in, and unlinks once there is a password', async () => {
    const who = account();
    const jar = cookieJar();
    await signIn(jar, who.sub);
    const me = browserClient(jar);
    const { user } = await me.me.get();
    const [connection] = (await me.me.socialConnections.list()).connections;
    if (!connection) throw new Error('no connection');

    const refused = await failure(me.me.socialConnections.unlink({ connectionId: connection.id }));
    expect([refused.status, refused.code]).toEqual([409, 'conflict']);
    expect(refused.message).toMatch(/last way to sign in/);
    expect(await connectionsOf(user.id)).toHaveLength(1);

    await t.backend.users.update(user.id, { password: DEFAULT_PASSWORD });
    expect(await me.me.socialConnections.unlink({ connectionId: connection.id })).toEqual({ id: connection.id, deleted: true });
    expect((await me.me.socialConnections.list()).connections).toEqual([]);
    const missing = await failure(me.me.socialConnections.unlink({ connectionId: connection.id }));
    expect([missing.status, missing.code]).toEqual([404, 'not_found']);
    const events = await db()
      .selectFrom('audit_events')
      .select(['action', 'data'])
      .where('target_id', '=', user.id)
      .orderBy('id')
      .execute();
    expect(events.map((e) => e.action)).toEqual(['user.social_connection_linked', 'user.social_connection_unlinked']);

    // Unlinked: the provider account is a stranger again, and its verified email links it anew.
    const again = cookieJar();
    expect((await signIn(again, who.sub)).location).toBe(RETURN);
    expect((await browserClient(again).me.get()).user.id).toBe(user.id);
  });

  it('needs a recent sign-in to unlink', async () => {
    const who = account();
    const jar = cookieJar();
    await signIn(jar, who.sub);
    const [connection] = (await browserClient(jar).me.socialConnections.list()).connections;
    t.clock.advance(11 * MINUTE);
    const error = await failure(browserClient(jar).me.socialConnections.unlink({ connectionId: connection?.id as string }));
    expect(error.code).toBe('mfa_required');
  });

  it('lets the backend list and delete a connection, even the last one', async () => {
    const who = account();
    const jar = cookieJar();
    await signIn(jar, who.sub);
    const userId = (await browserClient(jar).me.get()).user.id;
    const [connection] = await connectionsOf(userId);
    if (!connection) throw new Error('no connection');
    expect(await t.backend.users.socialConnections.delete(userId, connection.id)).toEqual({ id: connection.id, deleted: true });
    expect(await connectionsOf(userId)).toEqual([]);
    const again = await failure(t.backend.users.socialConnections.delete(userId, connection.id));
    expect([again.status, again.code]).toEqual([404, 'not_found']);
    const unknownUser = await failure(t.backend.users.socialConnections.list('usr_01jd5x3k8m2q4r6t8v0w2y4a6c'));
    expect(unknownUser.code).toBe('not_found');
  });

  it('answers another user’s connection id with 404', async () => {
    const who = account();
    const jar = cookieJar();
    await signIn(jar, who.sub);
    const ownerId = (await browserClient(jar).me.get()).user.id;
    const [connection] = await connectionsOf(ownerId);
    const stranger = await signedInClient(t);
    const error = await failure(stranger.client.me.socialConnections.unlink({ connectionId: connection?.id as string }));
    expect(error.code).toBe('not_found');
    expect(await connectionsOf(ownerId)).toHaveLength(1);
  });
});

describe('providers, for the backend', () => {
  it('never returns the client secret, and keeps it encrypted', async () => {
    const listed = (await t.backend.oauthProviders.list()).data.find((p) => p.id === provider.id);
    expect(listed).toEqual(provider);
    expect(provider).toMatchObject({
      type: 'oidc',
      clientSecretSet: true,
      issuer: op.issuer,
      tenant: null,
      scopes: ['openid', 'email', 'profile'],
      enabled: true,
      callbackUrl: `${publicUrl}/v1/auth/oauth/callback`,
    });
    expect(JSON.stringify(listed)).not.toContain(op.clientSecret);
    const row = await db().selectFrom('oauth_providers').selectAll().where('id', '=', provider.id).executeTakeFirstOrThrow();
    expect(row.client_secret_encrypted).toMatch(/^v1\./);
    expect(decrypt(t.gatehouse.deps.encryptionKey, row.client_secret_encrypted, provider.id)).toBe(op.clientSecret);
  });

  it('checks the fields against the type, and the issuer by discovery', async () => {
    const cases: Record<string, unknown>[] = [
      { type: 'oidc', clientId: 'a', clientSecret: 'b' },
      { type: 'google', clientId: 'a', clientSecret: 'b', issuer: op.issuer },
      { type: 'github', clientId: 'a', clientSecret: 'b', tenant: 'common' },
      { type: 'oidc', clientId: 'a', clientSecret: 'b', issuer: 'http://idp.example.com' },
      { type: 'oidc', clientId: 'a', clientSecret: 'b', issuer: `http://127.0.0.1:${await freePort()}` },
      { type: 'twitter', clientId: 'a', clientSecret: 'b' },
    ];
    for (const body of cases) {
      const error = await failure(t.backend.oauthProviders.create(body as never));
      expect([error.status, error.code]).toEqual([400, 'invalid_request']);
    }
    const microsoft = await t.backend.oauthProviders.create({ type: 'microsoft', clientId: 'ms', clientSecret: 'secret' });
    expect(microsoft).toMatchObject({ name: 'Microsoft', tenant: 'common', issuer: null, scopes: ['openid', 'email', 'profile'] });
    const changed = await t.backend.oauthProviders.update(microsoft.id, {
      tenant: 'contoso.onmicrosoft.com',
      scopes: ['openid', 'email'],
      name: 'Work',
    });
    expect(changed).toMatchObject({ tenant: 'contoso.onmicrosoft.com', scopes: ['openid', 'email'], name: 'Work' });
    expect((await failure(t.backend.oauthProviders.update('oap_01jd5x3k8m2q4r6t8v0w2y4a6c', { enabled: false }))).code).toBe('not_found');
    await t.backend.oauthProviders.delete(microsoft.id);
    expect((await failure(t.backend.oauthProviders.delete(microsoft.id))).code).toBe('not_found');
    const events = await db()
      .selectFrom('audit_events')
      .select(['action', 'actor_type', 'data'])
      .where('target_id', '=', microsoft.id)
      .orderBy('id')
      .execute();
    expect(events).toEqual([
      { action: 'oauth_provider.created', actor_type: 'admin', data: { type: 'microsoft' } },
      { action: 'oauth_provider.updated', actor_type: 'admin', data: { fields: ['name', 'scopes', 'tenant'] } },
      { action: 'oauth_provider.deleted', actor_type: 'admin', data: {} },
    ]);
  });

  it('deleting a provider removes its connections and sign-ins in flight', async () => {
    const other = await t.backend.oauthProviders.create({
      type: 'oidc',
      issuer: op.issuer,
      clientId: op.clientId,
      clientSecret: op.clientSecret,
    });
    const who = account();
    const jar = cookieJar();
    await visit(jar, await throughProvider(jar, await start(jar, who.sub, { providerId: other.id })));
    const userId = (await browserClient(jar).me.get()).user.id;
    expect(await connectionsOf(userId)).toHaveLength(1);
    const inFlight = await throughProvider(jar, await start(jar, who.sub, { providerId: other.id }));
    await t.backend.oauthProviders.delete(other.id);
    expect(await connectionsOf(userId)).toEqual([]);
    expect((await visit(jar, inFlight)).status).toBe(400);
  });
});
