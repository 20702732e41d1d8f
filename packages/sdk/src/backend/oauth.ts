import * as ops from '@gatehouse/contract';
import type { z } from 'zod';
import type { BackendCaller } from './users.js';

type Body<Op extends ops.BackendOperation> = z.input<NonNullable<Op['body']>>;

/** A social sign-in provider as the backend API returns it (never its client secret). */
export type OAuthProvider = z.output<typeof ops.OAuthProvider>;
/** A user's link to a provider account (never the provider's tokens). */
export type SocialConnection = z.output<typeof ops.SocialConnection>;

/** `oauthProviders.*` of the backend client: the social sign-in providers. */
export function oauthProvidersApi(call: BackendCaller) {
  return {
    /** Every provider, oldest first: `{ data, hasMore, nextCursor }`. */
    list: () => call(ops.listOAuthProviders),
    /**
     * Add one: `{ type: 'google' | 'github' | 'microsoft', clientId, clientSecret }`, or
     * `{ type: 'oidc', issuer, clientId, clientSecret }` (discovered now; 400 if it cannot be).
     * Register the answer's `callbackUrl` at the provider.
     */
    create: (body: Body<typeof ops.createOAuthProvider>) => call(ops.createOAuthProvider, { body }),
    /** Change credentials, scopes, label, or `enabled`. */
    update: (providerId: string, body: Body<typeof ops.updateOAuthProvider>) =>
      call(ops.updateOAuthProvider, { params: { providerId }, body }),
    /** Delete a provider and every connection to it: `{ id, deleted: true }`. */
    delete: (providerId: string) => call(ops.deleteOAuthProvider, { params: { providerId } }),
  };
}

/** `users.socialConnections.*` of the backend client: a user's provider accounts (never their tokens). */
export function userSocialConnectionsApi(call: BackendCaller) {
  return {
    /** The user's connections, newest first: `{ data, hasMore, nextCursor }`. */
    list: (userId: string) => call(ops.listUserSocialConnections, { params: { userId } }),
    /** Unlink one: `{ id, deleted: true }`; 404 `not_found` afterwards. */
    delete: (userId: string, connectionId: string) => call(ops.deleteUserSocialConnection, { params: { userId, connectionId } }),
  };
}
