import { z } from 'zod';
import { Deleted, page, Timestamp } from '../common.js';
import { idOf } from '../ids.js';
import { backend, frontend } from '../operation.js';
import { UserParams } from '../users.js';

const tag = 'Social sign-in';

/** The kinds of provider: three presets and any OpenID Connect provider (found by discovery). */
export const OAuthProviderType = z
  .enum(['google', 'github', 'microsoft', 'oidc'])
  .meta({ description: '`google`, `github`, `microsoft` (Entra ID) or `oidc` (any OpenID Connect provider, by its issuer URL)' });

/**
 * What the callback redirect may carry in `?error=`: the sign-in did not happen, and the app says
 * why. Exactly these values.
 */
export const oauthCallbackErrors = [
  /** The provider answered with an error, or the user refused consent. */
  'oauth_access_denied',
  /** The sign-in was started in another browser (or its cookie is gone): nothing was done. */
  'oauth_state_mismatch',
  /** The sign-in took longer than 10 minutes: start again. */
  'oauth_expired',
  /** The provider was disabled or deleted meanwhile. */
  'oauth_provider_disabled',
  /** The code exchange or the ID token failed its checks (PKCE, nonce, issuer, audience, signature). */
  'oauth_failed',
  /** The provider gave no email address, and no account is linked to this provider account yet. */
  'oauth_email_missing',
  /**
   * An account with this email exists, but the provider did not say the address is verified (or
   * the account's address is not verified): not linked. Sign in another way and link from there.
   */
  'oauth_account_exists_unverified',
  /** A provider account already linked to another user, or this user already has another account of this provider. */
  'oauth_already_linked',
] as const;

export type OAuthCallbackError = (typeof oauthCallbackErrors)[number];

const Scope = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, { error: 'must be one scope token (no spaces or quotes)' });

const Scopes = z.array(Scope).max(30).meta({ description: 'Scopes to ask for; the preset default when omitted' });

const Label = z.string().trim().min(1).max(64);

const ClientId = z.string().trim().min(1).max(500);
const ClientSecret = z.string().min(1).max(2000);

const Issuer = z
  .url({ protocol: /^https?$/ })
  .max(500)
  .meta({ description: 'The OpenID Connect issuer (`oidc` only), e.g. `https://accounts.google.com`; https, or http on loopback' });

const Tenant = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9.-]+$/, { error: 'must be a tenant id or domain, `common`, `organizations` or `consumers`' })
  .meta({ description: 'The Entra ID tenant (`microsoft` only): an id, a domain, `common` (default), `organizations` or `consumers`' });

/** A provider as the backend API shows it: never the client secret. */
export const OAuthProvider = z
  .object({
    id: idOf('oauthProvider'),
    type: OAuthProviderType,
    name: z.string().meta({ description: 'The label a sign-in button shows, e.g. "Google"' }),
    clientId: z.string(),
    clientSecretSet: z.literal(true).meta({ description: 'A secret is stored (encrypted); it is never returned' }),
    issuer: z.string().nullable(),
    tenant: z.string().nullable(),
    scopes: z.array(z.string()),
    enabled: z.boolean(),
    callbackUrl: z.string().meta({ description: 'The redirect URI to register at the provider: `PUBLIC_URL/v1/auth/oauth/callback`' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'OAuthProvider' });

/** A provider as sign-in pages see it: what a button needs. */
export const OAuthProviderPublic = z
  .object({ id: idOf('oauthProvider'), type: OAuthProviderType, name: z.string() })
  .meta({ id: 'OAuthProviderPublic' });

/** A user's link to a provider account: never the provider's tokens. */
export const SocialConnection = z
  .object({
    id: idOf('socialConnection'),
    providerId: idOf('oauthProvider'),
    providerType: OAuthProviderType,
    providerName: z.string(),
    email: z.string().nullable().meta({ description: 'The email the provider gave, as it gave it last' }),
    emailVerified: z.boolean().meta({ description: 'Whether the provider said that email is verified' }),
    createdAt: Timestamp,
    lastUsedAt: Timestamp.nullable(),
  })
  .meta({ id: 'SocialConnection' });

const ProviderParams = z.strictObject({ providerId: idOf('oauthProvider') });
const ConnectionParams = z.strictObject({ userId: idOf('user'), connectionId: idOf('socialConnection') });

export const listOAuthProviders = backend({
  name: 'oauthProviders.list',
  method: 'GET',
  path: '/oauth-providers',
  output: page(OAuthProvider),
  summary: 'List the social sign-in providers',
  description: 'Oldest first, all of them in one page. Client secrets are never returned.',
  tag,
});

export const createOAuthProvider = backend({
  name: 'oauthProviders.create',
  method: 'POST',
  path: '/oauth-providers',
  body: z.strictObject({
    type: OAuthProviderType,
    name: Label.optional().meta({ description: 'Defaults to "Google", "GitHub", "Microsoft" or the issuer host' }),
    clientId: ClientId,
    clientSecret: ClientSecret.meta({ description: 'Stored encrypted under the instance key; never returned' }),
    issuer: Issuer.optional(),
    tenant: Tenant.optional(),
    scopes: Scopes.optional(),
    enabled: z.boolean().default(true),
  }),
  output: OAuthProvider,
  summary: 'Add a social sign-in provider',
  description:
    '`oidc` needs `issuer`, and its discovery document is fetched now (400 when it cannot be). `tenant` is for `microsoft` only, `issuer` for `oidc` only. Register `callbackUrl` (in the answer) as the redirect URI at the provider.',
  tag,
});

export const updateOAuthProvider = backend({
  name: 'oauthProviders.update',
  method: 'PATCH',
  path: '/oauth-providers/{providerId}',
  params: ProviderParams,
  body: z.strictObject({
    name: Label.optional(),
    clientId: ClientId.optional(),
    clientSecret: ClientSecret.optional(),
    issuer: Issuer.optional(),
    tenant: Tenant.optional(),
    scopes: Scopes.optional(),
    enabled: z.boolean().optional(),
  }),
  output: OAuthProvider,
  summary: 'Change a provider: credentials, scopes, label, or turn it off',
  description: 'The type cannot change. A disabled provider signs nobody in; its connections stay.',
  tag,
});

export const deleteOAuthProvider = backend({
  name: 'oauthProviders.delete',
  method: 'DELETE',
  path: '/oauth-providers/{providerId}',
  params: ProviderParams,
  output: Deleted,
  summary: 'Delete a provider and every connection to it',
  description: 'Users who signed in only through it keep their account and can get back in by a password reset to their email.',
  tag,
});

export const listUserSocialConnections = backend({
  name: 'users.socialConnections.list',
  method: 'GET',
  path: '/users/{userId}/social-connections',
  params: UserParams,
  output: page(SocialConnection),
  summary: "List a user's social connections",
  description: 'Newest first, all of them in one page. Never the provider tokens.',
  tag,
});

export const deleteUserSocialConnection = backend({
  name: 'users.socialConnections.delete',
  method: 'DELETE',
  path: '/users/{userId}/social-connections/{connectionId}',
  params: ConnectionParams,
  output: Deleted,
  summary: 'Unlink a social connection: that provider account signs this user in no more',
  description: 'Also the last way in of an account (unlike `me/social-connections/unlink`): a password reset gets the user back.',
  tag,
});

export const listOAuthSignInProviders = frontend({
  name: 'auth/oauth/providers',
  input: z.strictObject({}),
  output: z.object({ providers: z.array(OAuthProviderPublic) }),
  auth: 'none',
  summary: 'The enabled social sign-in providers, for sign-in buttons',
  tag,
});

export const startOAuthSignIn = frontend({
  name: 'auth/oauth/start',
  input: z.strictObject({
    providerId: idOf('oauthProvider'),
    redirectUrl: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .meta({ description: 'Where the browser lands after the callback; its origin must be `PUBLIC_URL`’s or in `ALLOWED_ORIGINS`' }),
    callbackUrl: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional()
      .meta({
        description:
          'The redirect URI to send the provider: `PUBLIC_URL/v1/auth/oauth/callback` when absent, else exactly one of `OAUTH_CALLBACK_URLS` (an app’s connector callback; the SDK’s `createConnector` fills it in)',
      }),
  }),
  output: z.object({ authorizationUrl: z.string().meta({ description: 'Send the browser here (a top-level navigation)' }) }),
  auth: 'none',
  summary: 'Start a social sign-in: the provider URL to send the browser to',
  description:
    'State, PKCE verifier (S256) and nonce are kept server-side for 10 minutes and work once; the answer also sets a short-lived cookie that ties the sign-in to this browser. `GET /v1/auth/oauth/callback` finishes it and redirects to `redirectUrl` with the session cookie set, or with `?error=<code>`, or with `?oauth=needs_second_factor&attemptId=…&factors=…` for a user with a second factor (finish with `auth/second-factor`). A `redirectUrl` off the allowed origins, a `callbackUrl` not listed in `OAUTH_CALLBACK_URLS`, or an unknown or disabled provider, answers 400 `invalid_request`. Rate limited per IP. The same is `GET /v1/auth/oauth/start?providerId=…&redirectUrl=…[&callbackUrl=…]`, which redirects at once.',
  tag,
});

export const listMySocialConnections = frontend({
  name: 'me/social-connections/list',
  input: z.strictObject({}),
  output: z.object({ connections: z.array(SocialConnection) }),
  auth: 'user',
  summary: 'My social connections, newest first',
  tag,
});

export const unlinkMySocialConnection = frontend({
  name: 'me/social-connections/unlink',
  input: z.strictObject({ connectionId: idOf('socialConnection') }),
  output: Deleted,
  auth: 'user',
  summary: 'Unlink one of my social connections',
  description:
    'Needs a recent sign-in or `auth/reauthenticate` (403 `mfa_required`). Refused with 409 `conflict` when it is the account’s last way in (no password, no passkey, no other connection): set a password first.',
  tag,
});
