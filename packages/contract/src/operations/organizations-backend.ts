import { z } from 'zod';
import { Deleted, PageQuery, page, SearchTerm } from '../common.js';
import { backend } from '../operation.js';
import {
  AddMemberBody,
  AuditEvent,
  BackendOrganization,
  CatalogPermission,
  CreateOrganizationBody,
  CreatePermissionBody,
  CreateRoleBody,
  Membership,
  MembershipParams,
  OrganizationParams,
  PermissionParams,
  Role,
  RoleParams,
  UpdateMemberBody,
  UpdateOrganizationBody,
  UpdateRoleBody,
  UserOrganizationMembership,
} from '../organizations.js';
import { UserParams } from '../users.js';

const tag = 'Organizations';

export const listOrganizations = backend({
  name: 'organizations.list',
  method: 'GET',
  path: '/organizations',
  query: PageQuery.extend({
    search: SearchTerm.optional().meta({ description: 'Part of a name or slug' }),
  }),
  output: page(BackendOrganization),
  summary: 'List organizations, newest first',
  tag,
});

export const createOrganization = backend({
  name: 'organizations.create',
  method: 'POST',
  path: '/organizations',
  body: CreateOrganizationBody,
  output: BackendOrganization,
  summary: 'Create an organization',
  description:
    'The slug is made from the name when not given (and made unique); a given slug that is taken → 409 `conflict`. ' +
    'With `createdBy` that user becomes its first owner; without it the organization has no owner until one is added.',
  tag,
});

export const getOrganization = backend({
  name: 'organizations.get',
  method: 'GET',
  path: '/organizations/{orgId}',
  params: OrganizationParams,
  output: BackendOrganization,
  summary: 'Get an organization',
  tag,
});

export const updateOrganization = backend({
  name: 'organizations.update',
  method: 'PATCH',
  path: '/organizations/{orgId}',
  params: OrganizationParams,
  body: UpdateOrganizationBody,
  output: BackendOrganization,
  summary: 'Update an organization',
  description: 'Metadata objects are replaced whole; `imageUrl: null` clears the image.',
  tag,
});

export const deleteOrganization = backend({
  name: 'organizations.delete',
  method: 'DELETE',
  path: '/organizations/{orgId}',
  params: OrganizationParams,
  output: Deleted,
  summary: 'Delete an organization',
  description: 'Removes its memberships, custom roles and everything else it owns. Its audit log is kept.',
  tag,
});

export const listOrganizationMembers = backend({
  name: 'organizations.members.list',
  method: 'GET',
  path: '/organizations/{orgId}/members',
  params: OrganizationParams,
  query: PageQuery,
  output: page(Membership),
  summary: 'List members, oldest first',
  tag,
});

export const addOrganizationMember = backend({
  name: 'organizations.members.add',
  method: 'POST',
  path: '/organizations/{orgId}/members',
  params: OrganizationParams,
  body: AddMemberBody,
  output: Membership,
  summary: 'Add a user as a member, bypassing invitations',
  description: '409 `already_member` when they are one. A `roleId` that is not a system role or one of this organization → 404.',
  tag,
});

export const updateOrganizationMember = backend({
  name: 'organizations.members.update',
  method: 'PATCH',
  path: '/organizations/{orgId}/members/{membershipId}',
  params: MembershipParams,
  body: UpdateMemberBody,
  output: Membership,
  summary: "Change a member's role",
  description:
    '409 `last_owner` when it would leave the organization without an owner. A `roleId` that is not a system role or one of this organization → 404.',
  tag,
});

export const removeOrganizationMember = backend({
  name: 'organizations.members.remove',
  method: 'DELETE',
  path: '/organizations/{orgId}/members/{membershipId}',
  params: MembershipParams,
  output: Deleted,
  summary: 'Remove a member',
  description: '409 `last_owner` when it would leave the organization without an owner.',
  tag,
});

export const listOrganizationRoles = backend({
  name: 'organizations.roles.list',
  method: 'GET',
  path: '/organizations/{orgId}/roles',
  params: OrganizationParams,
  output: page(Role),
  summary: 'List the system roles and the custom roles of an organization',
  tag,
});

export const createOrganizationRole = backend({
  name: 'organizations.roles.create',
  method: 'POST',
  path: '/organizations/{orgId}/roles',
  params: OrganizationParams,
  body: CreateRoleBody,
  output: Role,
  summary: 'Create a custom role',
  description:
    'The key is made from the name when not given. Keys and names are unique in the organization and never a system key (409 `conflict`); ' +
    'unknown permissions → 400.',
  tag,
});

export const updateOrganizationRole = backend({
  name: 'organizations.roles.update',
  method: 'PATCH',
  path: '/organizations/{orgId}/roles/{roleId}',
  params: RoleParams,
  body: UpdateRoleBody,
  output: Role,
  summary: 'Rename a custom role or replace its permissions',
  description: 'System roles cannot be changed (409 `conflict`).',
  tag,
});

export const deleteOrganizationRole = backend({
  name: 'organizations.roles.delete',
  method: 'DELETE',
  path: '/organizations/{orgId}/roles/{roleId}',
  params: RoleParams,
  output: Deleted,
  summary: 'Delete a custom role',
  description: 'A role some member holds cannot be deleted (409 `conflict`); nor can a system role.',
  tag,
});

export const listOrganizationAuditLog = backend({
  name: 'organizations.auditLog.list',
  method: 'GET',
  path: '/organizations/{orgId}/audit-log',
  params: OrganizationParams,
  query: PageQuery.extend({
    action: z.string().trim().min(1).max(64).optional().meta({ description: 'Only events of this action, e.g. `member.added`' }),
    actorId: z.string().trim().min(1).max(64).optional().meta({ description: 'Only events by this actor (a user, key or token id)' }),
  }),
  output: page(AuditEvent),
  summary: "List an organization's audit events, newest first",
  description:
    'Still answers after the organization is deleted; an id that never named an organization → 404, with or without a cursor. ' +
    '`action` and `actorId` keep the events of one action or one actor (both: of both).',
  tag,
});

export const listUserOrganizationMemberships = backend({
  name: 'users.organizationMemberships.list',
  method: 'GET',
  path: '/users/{userId}/organization-memberships',
  params: UserParams,
  query: PageQuery,
  output: page(UserOrganizationMembership),
  summary: "List a user's organization memberships",
  description: 'Each with its `organization` and `roleDetails` resolved.',
  tag: 'Users',
});

const permissionsTag = 'Permissions';

export const listPermissions = backend({
  name: 'permissions.list',
  method: 'GET',
  path: '/permissions',
  output: page(CatalogPermission),
  summary: 'List the permission catalog (built-in and your own)',
  tag: permissionsTag,
});

export const createPermission = backend({
  name: 'permissions.create',
  method: 'POST',
  path: '/permissions',
  body: CreatePermissionBody,
  output: CatalogPermission,
  summary: 'Register a permission of your own, e.g. `invoices:approve`',
  description: 'It can then be given to custom roles; `owner` and `admin` hold it at once. 409 `conflict` when the key exists.',
  tag: permissionsTag,
});

export const deletePermission = backend({
  name: 'permissions.delete',
  method: 'DELETE',
  path: '/permissions/{key}',
  params: PermissionParams,
  output: z.object({ key: z.string(), deleted: z.literal(true) }),
  summary: 'Delete a permission of your own',
  description: 'Only when no custom role uses it and it is not built in (409 `conflict`).',
  tag: permissionsTag,
});
