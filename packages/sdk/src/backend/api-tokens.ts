import * as ops from '@gatehouse/contract';
import type { z } from 'zod';
import { paginate } from '../paginate.js';
import type { BackendCaller } from './users.js';

type Body<Op extends ops.BackendOperation> = z.input<NonNullable<Op['body']>>;
type Query<Op extends ops.BackendOperation> = z.input<NonNullable<Op['query']>>;

/** An organization API token (never its secret). */
export type ApiToken = z.output<typeof ops.ApiToken>;
/** What `apiTokens.verify` says about a bearer. */
export type ApiTokenVerification = z.output<typeof ops.ApiTokenVerification>;

/** `organizations.apiTokens.*` of the backend client. */
export function organizationApiTokensApi(call: BackendCaller) {
  return {
    /** Tokens, newest first, one page at a time. */
    list: (organizationId: string, query: Query<typeof ops.listOrganizationApiTokens> = {}) =>
      call(ops.listOrganizationApiTokens, { params: { orgId: organizationId }, query }),
    /** Every token of the organization, fetching pages as the loop asks for them. */
    listAll: (organizationId: string) =>
      paginate((cursor) => call(ops.listOrganizationApiTokens, { params: { orgId: organizationId }, query: cursor ? { cursor } : {} })),
    /** Mint a token; `secret` and `bearer` are in this answer only. */
    create: (organizationId: string, body: Body<typeof ops.createOrganizationApiToken> = {}) =>
      call(ops.createOrganizationApiToken, { params: { orgId: organizationId }, body }),
    /** Revoke a token; 200 with its final state every time. */
    revoke: (organizationId: string, tokenId: string) =>
      call(ops.revokeOrganizationApiToken, { params: { orgId: organizationId, tokenId } }),
  };
}

/** `apiTokens.*` of the backend client: for your servers that accept your customers' org tokens. */
export function apiTokensApi(call: BackendCaller) {
  return {
    /** `{ valid, organizationId, tokenId, env, permissions }`; `valid: false` for a bad, revoked or expired bearer. */
    verify: (bearer: string) => call(ops.verifyApiToken, { body: { bearer } }),
  };
}
