import { decodeIdToken, GitHub, Google, MicrosoftEntraId, type OAuth2Tokens } from 'arctic';
import * as oidc from 'openid-client';

/** What a provider is configured with (the secret decrypted). */
export interface ProviderSettings {
  id: string;
  type: 'google' | 'github' | 'microsoft' | 'oidc';
  clientId: string;
  clientSecret: string;
  issuer: string | null;
  tenant: string | null;
  scopes: string[];
  /** Changes whenever the settings do: the key of the discovery cache. */
  updatedAt: Date;
}

/** The secrets of one sign-in in flight: sent (state, challenge, nonce) and checked on return. */
export interface FlowSecrets {
  state: string;
  codeVerifier: string;
  nonce: string;
}

/** Who the provider says signed in, and the tokens it gave. */
export interface ProviderProfile {
  /** The provider's stable id of the account (OIDC `sub`, GitHub's numeric user id). */
  subject: string;
  email: string | null;
  /** Only `true` when the provider says so explicitly. */
  emailVerified: boolean;
  firstName: string | null;
  lastName: string | null;
  imageUrl: string | null;
  tokens: { accessToken: string | null; refreshToken: string | null; idToken: string | null; expiresAt: Date | null };
}

/** The provider refused, or its answer failed a check: the sign-in does not happen. */
export class OAuthFailure extends Error {
  override name = 'OAuthFailure';
  constructor(
    readonly code: 'oauth_access_denied' | 'oauth_failed',
    reason: string,
  ) {
    super(reason);
  }
}

/** The scopes asked for when a provider is created without any. */
export const defaultScopes: Record<ProviderSettings['type'], string[]> = {
  google: ['openid', 'email', 'profile'],
  microsoft: ['openid', 'email', 'profile'],
  oidc: ['openid', 'email', 'profile'],
  github: ['read:user', 'user:email'],
};

/** OpenID Connect providers always get `openid`: without it there is no ID token to check. */
function scopesOf(settings: ProviderSettings): string[] {
  return settings.type === 'github' || settings.scopes.includes('openid') ? settings.scopes : ['openid', ...settings.scopes];
}

/** The label of a new provider without one. */
export function defaultName(type: ProviderSettings['type'], issuer: string | null): string {
  if (type === 'oidc') return issuer ? new URL(issuer).hostname : 'OpenID Connect';
  return { google: 'Google', github: 'GitHub', microsoft: 'Microsoft' }[type];
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function optional<T>(tokens: OAuth2Tokens, read: (t: OAuth2Tokens) => T): T | null {
  try {
    return read(tokens);
  } catch {
    return null;
  }
}

/** The profile in an ID token's claims; `emailVerified` needs an explicit `true` (or Entra ID's `xms_edov`). */
function profileOfClaims(claims: Record<string, unknown>, tokens: ProviderProfile['tokens']): ProviderProfile {
  const subject = text(claims.sub);
  if (!subject) throw new OAuthFailure('oauth_failed', 'the ID token has no sub');
  const email = text(claims.email)?.trim().toLowerCase() ?? null;
  return {
    subject,
    email,
    emailVerified: email !== null && (claims.email_verified === true || claims.xms_edov === true),
    firstName: text(claims.given_name),
    lastName: text(claims.family_name),
    imageUrl: text(claims.picture),
    tokens,
  };
}

/** A loopback issuer may be plain http (development, tests); anything else must be https. */
function isLoopback(url: URL): boolean {
  return ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

/** Checks a provider's issuer URL: https, or http on loopback. */
export function issuerProblem(issuer: string): string | undefined {
  const url = new URL(issuer);
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url))) return undefined;
  return 'must be https (plain http only on localhost)';
}

/**
 * Discovery documents, per process. Only a cache, never security state: the key is the provider's
 * id and `updated_at`, read from the database on every request, so a change made through any
 * process is used at once by all of them.
 */
const DISCOVERY_TTL_MS = 10 * 60 * 1000;
const discovered = new Map<string, { config: oidc.Configuration; until: number }>();

/** Fetch a generic OIDC provider's discovery document (uncached: to check an issuer before saving it). */
export function fetchDiscovery(settings: Pick<ProviderSettings, 'issuer' | 'clientId' | 'clientSecret'>): Promise<oidc.Configuration> {
  const issuer = new URL(settings.issuer as string);
  return oidc.discovery(
    issuer,
    settings.clientId,
    settings.clientSecret,
    undefined,
    isLoopback(issuer) && issuer.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : undefined,
  );
}

/** The discovered configuration of a generic OIDC provider, cached 10 minutes per settings version. */
export async function discover(settings: ProviderSettings): Promise<oidc.Configuration> {
  const key = `${settings.id}|${settings.updatedAt.getTime()}`;
  const cached = discovered.get(key);
  if (cached && cached.until > Date.now()) return cached.config;
  const config = await fetchDiscovery(settings);
  for (const [k, v] of discovered) if (k.startsWith(`${settings.id}|`) || v.until <= Date.now()) discovered.delete(k);
  discovered.set(key, { config, until: Date.now() + DISCOVERY_TTL_MS });
  return config;
}

/**
 * The URL to send the browser to. Presets by arctic (state and PKCE; the nonce is one more
 * parameter, checked against the ID token on return), the generic provider by openid-client.
 */
export async function authorizationUrl(settings: ProviderSettings, callbackUrl: string, flow: FlowSecrets): Promise<URL> {
  const scopes = scopesOf(settings);
  switch (settings.type) {
    case 'google': {
      const url = new Google(settings.clientId, settings.clientSecret, callbackUrl).createAuthorizationURL(
        flow.state,
        flow.codeVerifier,
        scopes,
      );
      url.searchParams.set('nonce', flow.nonce);
      return url;
    }
    case 'microsoft': {
      const tenant = settings.tenant as string;
      const url = new MicrosoftEntraId(tenant, settings.clientId, settings.clientSecret, callbackUrl).createAuthorizationURL(
        flow.state,
        flow.codeVerifier,
        scopes,
      );
      url.searchParams.set('nonce', flow.nonce);
      return url;
    }
    case 'github':
      // GitHub is plain OAuth 2.0: no ID token (so no nonce), and arctic sends no PKCE for it; the state still binds the flow.
      return new GitHub(settings.clientId, settings.clientSecret, callbackUrl).createAuthorizationURL(flow.state, scopes);
    case 'oidc': {
      const config = await discover(settings);
      return oidc.buildAuthorizationUrl(config, {
        redirect_uri: callbackUrl,
        scope: scopes.join(' '),
        state: flow.state,
        nonce: flow.nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(flow.codeVerifier),
        code_challenge_method: 'S256',
      });
    }
  }
}

function tokensOf(tokens: OAuth2Tokens): ProviderProfile['tokens'] {
  return {
    accessToken: optional(tokens, (t) => t.accessToken()),
    refreshToken: tokens.hasRefreshToken() ? tokens.refreshToken() : null,
    idToken: optional(tokens, (t) => t.idToken()),
    expiresAt: optional(tokens, (t) => t.accessTokenExpiresAt()),
  };
}

/**
 * An ID token straight from the provider's token endpoint over TLS (OIDC Core §3.1.3.7): its
 * audience and nonce are checked here; its signature need not be.
 */
function checkedIdTokenClaims(tokens: ProviderProfile['tokens'], settings: ProviderSettings, nonce: string): Record<string, unknown> {
  if (!tokens.idToken) throw new OAuthFailure('oauth_failed', 'the provider returned no ID token');
  const claims = decodeIdToken(tokens.idToken) as Record<string, unknown>;
  const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audience.includes(settings.clientId)) throw new OAuthFailure('oauth_failed', 'the ID token is for another client');
  if (claims.nonce !== nonce) throw new OAuthFailure('oauth_failed', 'the ID token nonce does not match');
  return claims;
}

/** GitHub's user and its primary email (verified flag as GitHub states it), by its REST API. */
async function githubProfile(accessToken: string, tokens: ProviderProfile['tokens']): Promise<ProviderProfile> {
  const get = async (path: string) => {
    const response = await fetch(`https://api.github.com${path}`, {
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/vnd.github+json', 'user-agent': 'Gatehouse' },
    });
    if (!response.ok) throw new OAuthFailure('oauth_failed', `GitHub ${path} answered ${response.status}`);
    return response.json() as Promise<unknown>;
  };
  const user = (await get('/user')) as { id?: number; name?: string | null; avatar_url?: string | null };
  if (typeof user.id !== 'number') throw new OAuthFailure('oauth_failed', 'GitHub returned no user id');
  const emails = (await get('/user/emails')) as { email: string; primary: boolean; verified: boolean }[];
  const primary = Array.isArray(emails) ? emails.find((e) => e.primary) : undefined;
  const [firstName, ...rest] = (user.name ?? '').trim().split(/\s+/);
  return {
    subject: String(user.id),
    email: primary?.email.trim().toLowerCase() ?? null,
    emailVerified: primary?.verified === true,
    firstName: firstName || null,
    lastName: rest.join(' ') || null,
    imageUrl: user.avatar_url ?? null,
    tokens,
  };
}

/** Exchange the callback's code (with the PKCE verifier) and read who signed in. */
export async function completeFlow(settings: ProviderSettings, callback: URL, flow: FlowSecrets): Promise<ProviderProfile> {
  const error = callback.searchParams.get('error');
  if (error) throw new OAuthFailure('oauth_access_denied', `the provider answered ${error}`);
  if (settings.type === 'oidc') {
    const config = await discover(settings);
    try {
      const tokens = await oidc.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: flow.codeVerifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      const idClaims = tokens.claims();
      if (!idClaims) throw new OAuthFailure('oauth_failed', 'the provider returned no ID token');
      // Many providers (and OIDC Core's default for the code flow) give the email only at the UserInfo endpoint.
      const claims: Record<string, unknown> =
        idClaims.email === undefined && config.serverMetadata().userinfo_endpoint
          ? { ...idClaims, ...(await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub)), sub: idClaims.sub }
          : idClaims;
      return profileOfClaims(claims, {
        accessToken: tokens.access_token,
        refreshToken: tokens.refresh_token ?? null,
        idToken: tokens.id_token ?? null,
        expiresAt: tokens.expires_in !== undefined ? new Date(Date.now() + tokens.expires_in * 1000) : null,
      });
    } catch (e) {
      if (e instanceof OAuthFailure) throw e;
      throw new OAuthFailure('oauth_failed', e instanceof Error ? e.message : 'the code exchange failed');
    }
  }
  const code = callback.searchParams.get('code');
  if (!code) throw new OAuthFailure('oauth_failed', 'the callback has no code');
  try {
    switch (settings.type) {
      case 'google': {
        const google = new Google(settings.clientId, settings.clientSecret, callbackUrlOf(callback));
        const tokens = tokensOf(await google.validateAuthorizationCode(code, flow.codeVerifier));
        return profileOfClaims(checkedIdTokenClaims(tokens, settings, flow.nonce), tokens);
      }
      case 'microsoft': {
        const entra = new MicrosoftEntraId(settings.tenant as string, settings.clientId, settings.clientSecret, callbackUrlOf(callback));
        const tokens = tokensOf(await entra.validateAuthorizationCode(code, flow.codeVerifier));
        return profileOfClaims(checkedIdTokenClaims(tokens, settings, flow.nonce), tokens);
      }
      case 'github': {
        const github = new GitHub(settings.clientId, settings.clientSecret, callbackUrlOf(callback));
        const tokens = tokensOf(await github.validateAuthorizationCode(code));
        if (!tokens.accessToken) throw new OAuthFailure('oauth_failed', 'GitHub returned no access token');
        return await githubProfile(tokens.accessToken, tokens);
      }
    }
  } catch (e) {
    if (e instanceof OAuthFailure) throw e;
    throw new OAuthFailure('oauth_failed', e instanceof Error ? e.message : 'the code exchange failed');
  }
}

/** The redirect URI itself: the callback URL without its query. */
function callbackUrlOf(callback: URL): string {
  return `${callback.origin}${callback.pathname}`;
}
