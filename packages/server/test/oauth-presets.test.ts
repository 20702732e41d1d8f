import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { authorizationUrl, completeFlow, OAuthFailure, type ProviderSettings } from '../src/features/oauth/providers.js';
import { startTestGatehouse } from './harness.js';

// The presets' URLs, as arctic builds them: no network (the flow itself is tested against a real
// OpenID provider in oauth.test.ts).
const CALLBACK = 'https://auth.example.com/v1/auth/oauth/callback';
const flow = { state: 'state-0123456789', codeVerifier: 'verifier-0123456789-0123456789-0123456789-0', nonce: 'nonce-0123456789' };
const challenge = createHash('sha256').update(flow.codeVerifier).digest('base64url');

function settings(type: ProviderSettings['type'], extra: Partial<ProviderSettings> = {}): ProviderSettings {
  return {
    id: 'oap_test',
    type,
    clientId: `${type}-client`,
    clientSecret: 'secret',
    issuer: null,
    tenant: null,
    scopes: type === 'github' ? ['read:user', 'user:email'] : ['openid', 'email', 'profile'],
    updatedAt: new Date(),
    ...extra,
  };
}

const paramsOf = (url: URL) => Object.fromEntries(url.searchParams);

describe('preset authorization URLs', () => {
  it('Google: state, PKCE S256, nonce and the scopes', async () => {
    const url = await authorizationUrl(settings('google'), CALLBACK, flow);
    expect(url.origin + url.pathname).toBe('https://accounts.google.com/o/oauth2/v2/auth');
    expect(paramsOf(url)).toEqual({
      response_type: 'code',
      client_id: 'google-client',
      redirect_uri: CALLBACK,
      state: flow.state,
      code_challenge_method: 'S256',
      code_challenge: challenge,
      scope: 'openid email profile',
      nonce: flow.nonce,
    });
  });

  it('Microsoft: the tenant in the path, PKCE S256 and nonce', async () => {
    const url = await authorizationUrl(settings('microsoft', { tenant: 'contoso.onmicrosoft.com', scopes: ['email'] }), CALLBACK, flow);
    expect(url.origin + url.pathname).toBe('https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize');
    expect(paramsOf(url)).toMatchObject({
      response_type: 'code',
      client_id: 'microsoft-client',
      redirect_uri: CALLBACK,
      state: flow.state,
      code_challenge_method: 'S256',
      code_challenge: challenge,
      // `openid` is always asked for: without it there is no ID token to check.
      scope: 'openid email',
      nonce: flow.nonce,
    });
  });

  it('GitHub: plain OAuth 2.0 with state and its scopes', async () => {
    const url = await authorizationUrl(settings('github'), CALLBACK, flow);
    expect(url.origin + url.pathname).toBe('https://github.com/login/oauth/authorize');
    expect(paramsOf(url)).toEqual({
      response_type: 'code',
      client_id: 'github-client',
      redirect_uri: CALLBACK,
      state: flow.state,
      scope: 'read:user user:email',
    });
  });

  it('a provider error on the callback is access denied, before any exchange', async () => {
    const callback = new URL(`${CALLBACK}?error=access_denied&state=${flow.state}`);
    const error = await completeFlow(settings('google'), callback, flow).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuthFailure);
    expect((error as OAuthFailure).code).toBe('oauth_access_denied');
  });

  it('through the API: a Google provider starts a flow with the stored state', async () => {
    const t = await startTestGatehouse({ env: { PUBLIC_URL: 'https://auth.example.com' } });
    try {
      const google = await t.backend.oauthProviders.create({ type: 'google', clientId: 'g-id', clientSecret: 'g-secret' });
      expect(google).toMatchObject({ name: 'Google', scopes: ['openid', 'email', 'profile'], callbackUrl: CALLBACK, tenant: null });
      const { authorizationUrl: started } = await t
        .client()
        .auth.oauth.start({ providerId: google.id, redirectUrl: 'https://auth.example.com/after' });
      const url = new URL(started);
      expect(url.host).toBe('accounts.google.com');
      expect(paramsOf(url)).toMatchObject({ client_id: 'g-id', redirect_uri: CALLBACK, code_challenge_method: 'S256' });
      const stored = await t.gatehouse.deps.db.selectFrom('oauth_states').select(['nonce', 'provider_id']).execute();
      expect(stored).toEqual([{ nonce: url.searchParams.get('nonce'), provider_id: google.id }]);
    } finally {
      await t.close();
    }
  });
});
