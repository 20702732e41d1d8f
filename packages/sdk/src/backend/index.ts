import type { BackendOperation } from '@gatehouse/contract';
import * as ops from '@gatehouse/contract';
import type { z } from 'zod';
import { type BackendCallInput, callBackend, type Fetch, trimBase } from '../http.js';
import { paginate } from '../paginate.js';
import { apiTokensApi, organizationApiTokensApi } from './api-tokens.js';
import { outboxApi, sessionsApi } from './email.js';
import { oauthProvidersApi, userSocialConnectionsApi } from './oauth.js';
import { organizationsApi, permissionsApi, userMembershipsApi } from './organizations.js';
import { userSessionsApi } from './sessions.js';
import { type BackendCaller, keysApi, userMfaApi, userPasskeysApi, usersApi } from './users.js';
import { createWorkspaceApi, listUserWorkspacesApi, workspacesApi } from './workspaces.js';

export type { ApiToken, ApiTokenVerification } from './api-tokens.js';
export type { JoinCode } from './join-codes.js';
export type { OAuthProvider, SocialConnection } from './oauth.js';
export type { BackendUser, UserEmail, UserPhone } from './users.js';
export type { Workspace, WorkspaceMembership } from './workspaces.js';

/** Options of {@link createBackendClient}. */
export interface BackendClientOptions {
  /** Where Gatehouse runs, e.g. `http://localhost:8787`. */
  baseUrl: string;
  /** An admin secret key, `sk_live_…` or `sk_test_…`. Keep it on your servers. */
  secretKey: string;
  /** A `fetch` to use instead of the global one. */
  fetch?: Fetch;
}

/**
 * A client for the backend API (`/backend/v1`), for the SaaS team's own servers.
 *
 * ```ts
 * const gatehouse = createBackendClient({ baseUrl: 'http://localhost:8787', secretKey: process.env.GATEHOUSE_SECRET_KEY! });
 * const user = await gatehouse.users.create({ email: 'ada@example.com' });
 * ```
 *
 * Failures throw a {@link GatehouseError} with the API's `code`, `status`, `details` and `requestId`.
 */
export function createBackendClient(options: BackendClientOptions) {
  const settings = { baseUrl: trimBase(options.baseUrl), secretKey: options.secretKey, fetch: options.fetch ?? globalThis.fetch };
  const call: BackendCaller = <Op extends BackendOperation>(op: Op, input?: BackendCallInput<Op>) => callBackend(settings, op, input);
  return {
    users: {
      ...usersApi(call),
      sessions: userSessionsApi(call),
      mfa: userMfaApi(call),
      passkeys: userPasskeysApi(call),
      socialConnections: userSocialConnectionsApi(call),
      memberships: { ...userMembershipsApi(call), listWorkspaces: listUserWorkspacesApi(call) },
    },
    keys: { ...keysApi(call), ...secretKeyPages(call) },
    signingKeys: signingKeysApi(call),
    sessions: sessionsApi(call),
    outbox: outboxApi(call),
    permissions: permissionsApi(call),
    ...withApiTokens(withCreateWorkspace(organizationsApi(call), call), call),
    apiTokens: apiTokensApi(call),
    oauthProviders: oauthProvidersApi(call),
    workspaces: workspacesApi(call),
    /** Call any backend operation of the contract directly. */
    call,
  };
}

type PageQuery = z.input<typeof ops.PageQuery>;

/** `organizations.createWorkspace`, beside the other organization methods. */
function withCreateWorkspace<T extends { organizations: object }>(api: T, call: BackendCaller) {
  return { ...api, organizations: { ...api.organizations, createWorkspace: createWorkspaceApi(call) } };
}

/** `organizations.apiTokens`, beside the other organization methods. */
function withApiTokens<T extends { organizations: object }>(api: T, call: BackendCaller) {
  return { ...api, organizations: { ...api.organizations, apiTokens: organizationApiTokensApi(call) } };
}

/** `keys.list` and `keys.listAll` of the backend client: admin secret keys, newest first, a page at a time. */
function secretKeyPages(call: BackendCaller) {
  return {
    /** Secret keys (never their secrets), newest first, one page at a time. */
    list: (query: PageQuery = {}) => call(ops.listSecretKeys, { query }),
    /** Every secret key, fetching pages as the loop asks for them. */
    listAll: () => paginate((cursor) => call(ops.listSecretKeys, { query: cursor ? { cursor } : {} })),
  };
}

/** `signingKeys.*` of the backend client: the keys that sign session JWTs. */
function signingKeysApi(call: BackendCaller) {
  return {
    /** Signing keys, newest first: id (the JWT `kid`), alg, status, dates; never key material. */
    list: (query: PageQuery = {}) => call(ops.listSigningKeys, { query }),
    /** Make a new active key; the retired one stays in the JWKS until its `publishedUntil`. */
    rotate: () => call(ops.rotateSigningKey),
    /** Revoke a retired key: out of the JWKS at once, its tokens stop verifying; 409 for the active key (rotate first). */
    revoke: (keyId: string) => call(ops.revokeSigningKey, { params: { keyId } }),
  };
}

/** The backend client's type. */
export type BackendClient = ReturnType<typeof createBackendClient>;
