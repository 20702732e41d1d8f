import { z } from 'zod';
import { FrontendPage, name, PageQuery, page, Timestamp } from '../common.js';
import { idOf } from '../ids.js';
import { backend, frontend } from '../operation.js';
import { OrganizationParams, PermissionList } from '../organizations.js';

const tag = 'Organization API tokens';
const organizationId = idOf('organization');

/** `live` or `test`: a label carried in the key prefix (`gh_live_…`, `gh_test_…`) and returned by verify. */
export const ApiTokenEnv = z.enum(['live', 'test']);

/** An organization API token, without its secret. */
export const ApiToken = z
  .object({
    id: z.string(),
    organizationId: z.string(),
    name: z.string(),
    env: ApiTokenEnv,
    key: z.string().meta({ description: 'The public half of the bearer (`gh_live_…`): safe to show and to search for in leaks' }),
    lastFour: z.string().meta({ description: 'The last four characters of the secret' }),
    permissions: z.array(z.string()),
    createdAt: Timestamp,
    lastUsedAt: Timestamp.nullable().meta({ description: 'Updated at most once a minute' }),
    expiresAt: Timestamp.nullable(),
    revokedAt: Timestamp.nullable(),
  })
  .meta({ id: 'ApiToken' });

/** A token as its creation returns it: the only time `secret` and `bearer` are shown. */
export const ApiTokenCreated = ApiToken.extend({
  secret: z.string().meta({ description: 'Shown once; only its hash is stored' }),
  bearer: z.string().meta({ description: '`<key>:<secret>`, to send as `Authorization: Bearer` on the frontend API' }),
}).meta({ id: 'ApiTokenCreated' });

/** What a new token is: every field optional. */
const createFields = {
  name: name().default('API token'),
  env: ApiTokenEnv.default('live'),
  permissions: PermissionList.optional().meta({
    description: "Default: the `member` role's permissions. Never more than the creator holds (403 `forbidden`).",
  }),
  expiresAt: Timestamp.nullable().optional().meta({ description: 'In the future; null or left out for a token that does not expire' }),
};

const TokenParams = OrganizationParams.extend({ tokenId: idOf('apiToken') });

export const listOrganizationApiTokens = backend({
  name: 'organizations.apiTokens.list',
  method: 'GET',
  path: '/organizations/{orgId}/api-tokens',
  params: OrganizationParams,
  query: PageQuery,
  output: page(ApiToken),
  summary: "List an organization's API tokens, newest first (never their secrets)",
  tag,
});

export const createOrganizationApiToken = backend({
  name: 'organizations.apiTokens.create',
  method: 'POST',
  path: '/organizations/{orgId}/api-tokens',
  params: OrganizationParams,
  body: z.strictObject(createFields),
  output: z.object({ apiToken: ApiTokenCreated }),
  summary: 'Create an organization API token',
  description: 'The secret and the `bearer` are in this answer only.',
  tag,
});

export const revokeOrganizationApiToken = backend({
  name: 'organizations.apiTokens.revoke',
  method: 'POST',
  path: '/organizations/{orgId}/api-tokens/{tokenId}/revoke',
  params: TokenParams,
  output: ApiToken,
  summary: 'Revoke an organization API token',
  description: 'Takes effect on the next request. Idempotent: 200 with the token every time.',
  tag,
});

/** What a bearer stands for; every field but `valid` is null when it is not valid. */
export const ApiTokenVerification = z
  .object({
    valid: z.boolean(),
    organizationId: z.string().nullable(),
    tokenId: z.string().nullable(),
    env: ApiTokenEnv.nullable(),
    permissions: z.array(z.string()).nullable(),
  })
  .meta({ id: 'ApiTokenVerification' });

export const verifyApiToken = backend({
  name: 'apiTokens.verify',
  method: 'POST',
  path: '/api-tokens/verify',
  body: z.strictObject({ bearer: z.string().max(512).meta({ description: '`<key>:<secret>`' }) }),
  output: ApiTokenVerification,
  summary: 'Verify an organization API token',
  description:
    'Answers 200 with `valid: false` for a malformed, unknown, revoked or expired token (401 is only for a bad secret key). Counts as a use (`lastUsedAt`).',
  tag,
});

export const frontendCreateApiToken = frontend({
  name: 'organizations/tokens/create',
  input: z.strictObject({ organizationId, ...createFields }),
  output: z.object({ apiToken: ApiTokenCreated }),
  auth: 'user',
  permission: 'org:manage',
  summary: 'Create an organization API token',
  description:
    'Needs a password or second-factor proof in the last 10 minutes (`auth/reauthenticate`, else 403 `mfa_required`). The secret and the `bearer` are in this answer only.',
  tag,
});

export const frontendListApiTokens = frontend({
  name: 'organizations/tokens/list',
  input: z.strictObject({ organizationId, ...FrontendPage }),
  output: z.object({ apiTokens: z.array(ApiToken), hasMore: z.boolean(), nextCursor: z.string().nullable() }),
  auth: 'user',
  permission: 'org:manage',
  summary: "List an organization's API tokens, newest first (never their secrets)",
  tag,
});

export const frontendRevokeApiToken = frontend({
  name: 'organizations/tokens/revoke',
  input: z.strictObject({ organizationId, id: idOf('apiToken') }),
  output: z.object({ ok: z.literal(true), apiToken: ApiToken }),
  auth: 'user',
  permission: 'org:manage',
  summary: 'Revoke an organization API token (idempotent)',
  description: 'Takes effect on the next request.',
  tag,
});
