import { z } from 'zod';
import { FrontendPage, name, Ok } from '../common.js';
import { idOf } from '../ids.js';
import { frontend } from '../operation.js';
import {
  AuditEvent,
  CatalogPermission,
  Membership,
  MyOrganization,
  Organization,
  oneRole,
  oneRoleError,
  PermissionList,
  Role,
  RoleKey,
  roleChoice,
} from '../organizations.js';

/** Backend operations of the organizations domain live beside these. */
export * from './organizations-backend.js';

const tag = 'Organizations';
const organizationId = idOf('organization');
const OrgInput = z.strictObject({ organizationId });

/** `{ organizationId, userId, role | roleId }`: exactly one of `role` and `roleId`. */
const SetRoleInput = z
  .strictObject({ organizationId, userId: idOf('user'), ...roleChoice })
  .refine(oneRole, oneRoleError)
  .refine((v) => v.role !== undefined || v.roleId !== undefined, { error: 'give role or roleId', path: ['role'] });

export const frontendCreateOrganization = frontend({
  name: 'organizations/create',
  input: z.strictObject({ name: name() }),
  output: z.object({ organization: Organization }),
  auth: 'user',
  summary: 'Create an organization; the caller becomes its first owner',
  tag,
});

export const frontendGetOrganization = frontend({
  name: 'organizations/get',
  input: OrgInput,
  output: z.object({ organization: Organization }),
  auth: 'principal',
  permission: 'org:view',
  summary: 'Get one organization',
  tag,
});

/** One page of the caller's organizations, in the order they joined. */
const MyOrganizationsPage = z.object({ organizations: z.array(MyOrganization), hasMore: z.boolean(), nextCursor: z.string().nullable() });
const MyOrganizationsInput = z.strictObject({ ...FrontendPage });

export const frontendListOrganizations = frontend({
  name: 'organizations/list',
  input: MyOrganizationsInput,
  output: MyOrganizationsPage,
  auth: 'user',
  summary: 'The organizations the caller belongs to, with their role',
  description: 'Oldest membership first; `limit` (default 20, max 100) and `cursor` page through them.',
  tag,
});

export const frontendListMyOrganizations = frontend({
  name: 'me/organizations/list',
  input: MyOrganizationsInput,
  output: MyOrganizationsPage,
  auth: 'user',
  summary: 'The organizations the caller belongs to, with their role (same as organizations/list)',
  tag: 'Me',
});

export const frontendUpdateOrganization = frontend({
  name: 'organizations/update',
  input: z.strictObject({ organizationId, name: name() }),
  output: Ok,
  auth: 'principal',
  permission: 'org:manage',
  summary: 'Rename an organization',
  tag,
});

export const frontendDeleteOrganization = frontend({
  name: 'organizations/delete',
  input: OrgInput,
  output: Ok,
  auth: 'user',
  permission: 'org:delete',
  summary: 'Delete an organization with its memberships and roles',
  tag,
});

export const frontendLeaveOrganization = frontend({
  name: 'organizations/leave',
  input: OrgInput,
  output: Ok,
  auth: 'user',
  summary: 'Leave an organization',
  description: '409 `last_owner` when the caller is its only owner.',
  tag,
});

export const frontendRoleMatrix = frontend({
  name: 'organizations/roles',
  input: z.strictObject({ organizationId: organizationId.optional() }),
  output: z.object({ roles: z.array(Role), permissions: z.array(CatalogPermission) }).meta({ id: 'RoleMatrix' }),
  auth: 'user',
  summary: 'The role → permission matrix and the permission catalog',
  description: "With `organizationId` (needs org:view) the organization's custom roles are included.",
  tag,
});

export const frontendCreateRole = frontend({
  name: 'organizations/roles/create',
  input: z.strictObject({ organizationId, name: name(), key: RoleKey.optional(), permissions: PermissionList }),
  output: z.object({ role: Role }),
  auth: 'user',
  permission: 'roles:manage',
  summary: 'Create a custom role',
  description: 'Every permission of the role must be one the caller holds (403 `forbidden`).',
  tag,
});

export const frontendUpdateRole = frontend({
  name: 'organizations/roles/update',
  input: z.strictObject({ organizationId, roleId: idOf('role'), name: name().optional(), permissions: PermissionList.optional() }),
  output: z.object({ role: Role }),
  auth: 'user',
  permission: 'roles:manage',
  summary: 'Rename a custom role or replace its permissions',
  tag,
});

export const frontendDeleteRole = frontend({
  name: 'organizations/roles/delete',
  input: z.strictObject({ organizationId, roleId: idOf('role') }),
  output: Ok,
  auth: 'user',
  permission: 'roles:manage',
  summary: 'Delete a custom role nobody holds',
  tag,
});

export const frontendListMembers = frontend({
  name: 'organizations/members/list',
  input: z.strictObject({ organizationId, ...FrontendPage }),
  output: z.object({ members: z.array(Membership), hasMore: z.boolean(), nextCursor: z.string().nullable() }),
  auth: 'principal',
  permission: 'members:view',
  summary: "List an organization's members, oldest first",
  tag,
});

export const frontendSetMemberRole = frontend({
  name: 'organizations/members/set-role',
  input: SetRoleInput,
  output: Ok,
  auth: 'user',
  permission: 'members:manage',
  summary: "Change a member's role",
  description:
    "The caller must hold every permission of the member's current and new role; only an owner makes or changes an owner. 409 `last_owner`. " +
    'A `roleId` that is not a system role or one of this organization → 404 `not_found`; an unknown `role` key → 400.',
  tag,
});

export const frontendRemoveMember = frontend({
  name: 'organizations/members/remove',
  input: z.strictObject({ organizationId, userId: idOf('user') }),
  output: Ok,
  auth: 'principal',
  permission: 'members:manage',
  summary: 'Remove a member (idempotent)',
  description: "The caller must hold every permission of the member's role. 409 `last_owner`.",
  tag,
});

export const frontendListAuditLog = frontend({
  name: 'organizations/audit-log/list',
  input: z.strictObject({ organizationId, ...FrontendPage }),
  output: z.object({ events: z.array(AuditEvent), hasMore: z.boolean(), nextCursor: z.string().nullable() }),
  auth: 'principal',
  permission: 'audit:view',
  summary: "An organization's audit events, newest first",
  tag,
});

export const frontendSetActive = frontend({
  name: 'session/set-active',
  input: z.strictObject({ organizationId: organizationId.nullable().optional(), workspaceId: idOf('workspace').nullable().optional() }),
  output: z.object({
    session: z.object({
      id: z.string(),
      userId: z.string(),
      activeOrganizationId: z.string().nullable(),
      activeWorkspaceId: z.string().nullable(),
    }),
  }),
  auth: 'user',
  summary: 'Choose the active organization (and workspace) of the session',
  description:
    'The caller must be a member; `null` clears, and leaving it out keeps the current one. The session JWT carries the active organization. ' +
    "Being removed, leaving, or the organization's deletion clears it from the member's sessions.",
  tag: 'Session',
});
