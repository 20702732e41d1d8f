import { z } from 'zod';
import { FrontendPage, Ok, PageQuery, page } from '../common.js';
import { idOf } from '../ids.js';
import { JoinCode, JoinCodeCreated, JoinCodeInput, JoinCodeParams, joinCodeFields } from '../join-codes.js';
import { backend, frontend } from '../operation.js';
import { OrganizationParams, oneRole, oneRoleError } from '../organizations.js';

const tag = 'Join codes';
const organizationId = idOf('organization');

const createRules =
  'The role defaults to `member`; it is never `owner` (403 `forbidden`, for the secret key too), and the caller must hold every ' +
  'permission of it (403). The code is shown in this answer only: Gatehouse keeps its SHA-256.';

const CreateJoinCodeBody = z.strictObject(joinCodeFields).refine(oneRole, oneRoleError);

export const listJoinCodes = backend({
  name: 'organizations.joinCodes.list',
  method: 'GET',
  path: '/organizations/{orgId}/join-codes',
  params: OrganizationParams,
  query: PageQuery,
  output: page(JoinCode),
  summary: "List an organization's join codes, newest first, with their uses and status",
  tag,
});

export const createJoinCode = backend({
  name: 'organizations.joinCodes.create',
  method: 'POST',
  path: '/organizations/{orgId}/join-codes',
  params: OrganizationParams,
  body: CreateJoinCodeBody,
  output: JoinCodeCreated,
  summary: 'Create a shareable join code',
  description: createRules,
  tag,
});

export const revokeJoinCode = backend({
  name: 'organizations.joinCodes.revoke',
  method: 'POST',
  path: '/organizations/{orgId}/join-codes/{joinCodeId}/revoke',
  params: JoinCodeParams,
  output: JoinCode,
  summary: 'Revoke a join code (idempotent)',
  description: 'Answers the code in its final state every time; only an id that never named a code of this organization → 404.',
  tag,
});

export const frontendCreateJoinCode = frontend({
  name: 'organizations/join-codes/create',
  input: z.strictObject({ organizationId, ...joinCodeFields }).refine(oneRole, oneRoleError),
  output: JoinCodeCreated,
  auth: 'principal',
  permission: 'members:manage',
  summary: 'Create a shareable join code; `maxUses` null = unlimited',
  description: createRules,
  tag,
});

export const frontendListJoinCodes = frontend({
  name: 'organizations/join-codes/list',
  input: z.strictObject({ organizationId, ...FrontendPage }),
  output: z.object({ joinCodes: z.array(JoinCode), hasMore: z.boolean(), nextCursor: z.string().nullable() }),
  auth: 'principal',
  permission: 'members:manage',
  summary: "An organization's join codes, newest first, with their uses and status",
  tag,
});

export const frontendRevokeJoinCode = frontend({
  name: 'organizations/join-codes/revoke',
  input: z.strictObject({ organizationId, id: idOf('joinCode') }),
  output: Ok,
  auth: 'principal',
  permission: 'members:manage',
  summary: 'Revoke a join code (idempotent)',
  tag,
});

export const frontendJoinWithCode = frontend({
  name: 'organizations/join-codes/join',
  input: z.strictObject({ code: JoinCodeInput }),
  output: z.object({ organizationId: z.string(), role: z.string(), roleId: z.string(), alreadyMember: z.boolean() }),
  auth: 'user',
  summary: 'Join an organization with a code; the caller becomes a member',
  description:
    'A revoked, expired, used-up or unknown code → 410 `join_code_invalid`, one answer for all. A caller who is already a member gets ' +
    '`alreadyMember: true` with their current role, and no use is counted. Rate limited per user and per IP (429).',
  tag,
});
