import { z } from 'zod';
import { Deleted, FrontendPage, name, Ok, PageQuery, page } from '../common.js';
import { idOf } from '../ids.js';
import { backend, frontend } from '../operation.js';
import { OrganizationParams, oneRole, oneRoleError, RoleKey, roleChoice } from '../organizations.js';
import { UserParams } from '../users.js';
import {
  AddWorkspaceMemberBody,
  CreateWorkspaceBody,
  CreateWorkspaceRoleBody,
  MyWorkspace,
  UpdateWorkspaceBody,
  UpdateWorkspaceMemberBody,
  UpdateWorkspaceRoleBody,
  UserWorkspaceMembership,
  Workspace,
  WorkspaceMembership,
  WorkspaceMembershipParams,
  WorkspaceParams,
  WorkspacePermissionList,
  WorkspaceRole,
  WorkspaceRoleParams,
} from '../workspaces.js';

const tag = 'Workspaces';

export const createWorkspace = backend({
  name: 'organizations.workspaces.create',
  method: 'POST',
  path: '/organizations/{orgId}/workspaces',
  params: OrganizationParams,
  body: CreateWorkspaceBody,
  output: Workspace,
  summary: 'Create a workspace in an organization',
  tag,
});

export const listWorkspaces = backend({
  name: 'workspaces.list',
  method: 'GET',
  path: '/workspaces',
  query: PageQuery.extend({ organizationId: idOf('organization') }),
  output: page(Workspace),
  summary: "An organization's workspaces, oldest first",
  tag,
});

export const getWorkspace = backend({
  name: 'workspaces.get',
  method: 'GET',
  path: '/workspaces/{workspaceId}',
  params: WorkspaceParams,
  output: Workspace,
  summary: 'Get a workspace',
  tag,
});

export const updateWorkspace = backend({
  name: 'workspaces.update',
  method: 'PATCH',
  path: '/workspaces/{workspaceId}',
  params: WorkspaceParams,
  body: UpdateWorkspaceBody,
  output: Workspace,
  summary: 'Rename a workspace',
  tag,
});

export const deleteWorkspace = backend({
  name: 'workspaces.delete',
  method: 'DELETE',
  path: '/workspaces/{workspaceId}',
  params: WorkspaceParams,
  output: Deleted,
  summary: 'Delete a workspace with its memberships and custom roles',
  tag,
});

export const listWorkspaceMembers = backend({
  name: 'workspaces.members.list',
  method: 'GET',
  path: '/workspaces/{workspaceId}/members',
  params: WorkspaceParams,
  query: PageQuery,
  output: page(WorkspaceMembership),
  summary: 'Workspace members, oldest first',
  tag,
});

export const addWorkspaceMember = backend({
  name: 'workspaces.members.add',
  method: 'POST',
  path: '/workspaces/{workspaceId}/members',
  params: WorkspaceParams,
  body: AddWorkspaceMemberBody,
  output: WorkspaceMembership,
  summary: 'Add an organization member to a workspace',
  description: '409 `conflict` when the user is not a member of the organization; 409 `already_member` when already in the workspace.',
  tag,
});

export const removeWorkspaceMember = backend({
  name: 'workspaces.members.remove',
  method: 'DELETE',
  path: '/workspaces/{workspaceId}/members/{membershipId}',
  params: WorkspaceMembershipParams,
  output: Deleted,
  summary: 'Remove a workspace member',
  tag,
});

const workspaceId = idOf('workspace');

export const frontendCreateWorkspace = frontend({
  name: 'workspaces/create',
  input: z.strictObject({ organizationId: idOf('organization'), name: name() }),
  output: z.object({ workspace: Workspace }),
  auth: 'user',
  permission: 'workspaces:manage',
  summary: 'Create a workspace',
  tag,
});

export const frontendGetWorkspace = frontend({
  name: 'workspaces/get',
  input: z.strictObject({ workspaceId }),
  output: z.object({ workspace: Workspace }),
  auth: 'user',
  summary: 'Get a workspace (workspace:view or org workspaces:view)',
  tag,
});

export const frontendListWorkspaces = frontend({
  name: 'workspaces/list',
  input: z.strictObject({ organizationId: idOf('organization'), ...FrontendPage }),
  output: z.object({ workspaces: z.array(Workspace), hasMore: z.boolean(), nextCursor: z.string().nullable() }),
  auth: 'user',
  summary: "All of the organization's workspaces with org workspaces:view, else the caller's",
  tag,
});

export const frontendDeleteWorkspace = frontend({
  name: 'workspaces/delete',
  input: z.strictObject({ workspaceId }),
  output: Ok,
  auth: 'user',
  summary: 'Delete a workspace (org workspaces:manage)',
  tag,
});

export const frontendListWorkspaceMembers = frontend({
  name: 'workspaces/members/list',
  input: z.strictObject({ workspaceId, ...FrontendPage }),
  output: z.object({ members: z.array(WorkspaceMembership), hasMore: z.boolean(), nextCursor: z.string().nullable() }),
  auth: 'user',
  summary: 'Workspace members (workspace:view or org workspaces:view)',
  tag,
});

export const frontendAddWorkspaceMember = frontend({
  name: 'workspaces/members/add',
  input: z.strictObject({ workspaceId, userId: idOf('user'), ...roleChoice }).refine(oneRole, oneRoleError),
  output: z.object({ member: WorkspaceMembership }),
  auth: 'user',
  summary: 'Add an organization member to the workspace (workspace:manage or org workspaces:manage)',
  description:
    "The granted role must be within the caller's workspace permissions (403). 409 `conflict` when the user is not an org member.",
  tag,
});

export const frontendRemoveWorkspaceMember = frontend({
  name: 'workspaces/members/remove',
  input: z.strictObject({ workspaceId, userId: idOf('user') }),
  output: Ok,
  auth: 'user',
  summary: 'Remove a workspace member (idempotent)',
  tag,
});

export const updateWorkspaceMember = backend({
  name: 'workspaces.members.update',
  method: 'PATCH',
  path: '/workspaces/{workspaceId}/members/{membershipId}',
  params: WorkspaceMembershipParams,
  body: UpdateWorkspaceMemberBody,
  output: WorkspaceMembership,
  summary: "Change a workspace member's role",
  tag,
});

export const listUserWorkspaceMemberships = backend({
  name: 'users.workspaceMemberships.list',
  method: 'GET',
  path: '/users/{userId}/workspace-memberships',
  params: UserParams,
  query: PageQuery,
  output: page(UserWorkspaceMembership),
  summary: "List a user's workspace memberships",
  description: 'Each with its `workspace`, `organization` and `roleDetails` resolved.',
  tag: 'Users',
});

export const frontendUpdateWorkspace = frontend({
  name: 'workspaces/update',
  input: z.strictObject({ workspaceId, name: name().optional() }),
  output: z.object({ workspace: Workspace }),
  auth: 'user',
  summary: 'Rename a workspace (workspace:manage or org workspaces:manage)',
  tag,
});

export const frontendSetWorkspaceMemberRole = frontend({
  name: 'workspaces/members/set-role',
  input: z
    .strictObject({ workspaceId, userId: idOf('user'), ...roleChoice })
    .refine(oneRole, oneRoleError)
    .refine((v) => v.role !== undefined || v.roleId !== undefined, { error: 'give role or roleId', path: ['role'] }),
  output: Ok,
  auth: 'user',
  summary: "Change a workspace member's role (workspace:manage; no escalation)",
  tag,
});

export const frontendListMyWorkspaces = frontend({
  name: 'me/workspaces/list',
  input: z.strictObject({ ...FrontendPage }),
  output: z.object({ workspaces: z.array(MyWorkspace), hasMore: z.boolean(), nextCursor: z.string().nullable() }),
  auth: 'user',
  summary: 'The workspaces the caller belongs to, with their workspace role',
  tag: 'Me',
});

export const listWorkspaceRoles = backend({
  name: 'workspaces.roles.list',
  method: 'GET',
  path: '/workspaces/{workspaceId}/roles',
  params: WorkspaceParams,
  output: z.object({ data: z.array(WorkspaceRole) }),
  summary: 'System workspace roles and the workspace custom roles',
  tag,
});

export const createWorkspaceRole = backend({
  name: 'workspaces.roles.create',
  method: 'POST',
  path: '/workspaces/{workspaceId}/roles',
  params: WorkspaceParams,
  body: CreateWorkspaceRoleBody,
  output: WorkspaceRole,
  summary: 'Create a custom workspace role',
  tag,
});

export const updateWorkspaceRole = backend({
  name: 'workspaces.roles.update',
  method: 'PATCH',
  path: '/workspaces/{workspaceId}/roles/{roleId}',
  params: WorkspaceRoleParams,
  body: UpdateWorkspaceRoleBody,
  output: WorkspaceRole,
  summary: 'Rename a custom workspace role or replace its permissions',
  tag,
});

export const deleteWorkspaceRole = backend({
  name: 'workspaces.roles.delete',
  method: 'DELETE',
  path: '/workspaces/{workspaceId}/roles/{roleId}',
  params: WorkspaceRoleParams,
  output: Deleted,
  summary: 'Delete a custom workspace role nobody holds (409 `conflict` otherwise)',
  tag,
});

export const frontendListWorkspaceRoles = frontend({
  name: 'workspaces/roles/list',
  input: z.strictObject({ workspaceId }),
  output: z.object({ roles: z.array(WorkspaceRole) }),
  auth: 'user',
  summary: 'Workspace roles (workspace:manage or org workspaces:manage)',
  tag,
});

export const frontendCreateWorkspaceRole = frontend({
  name: 'workspaces/roles/create',
  input: z.strictObject({ workspaceId, name: name(), key: RoleKey.optional(), permissions: WorkspacePermissionList }),
  output: z.object({ role: WorkspaceRole }),
  auth: 'user',
  summary: 'Create a custom workspace role (only permissions you hold in the workspace)',
  tag,
});

export const frontendUpdateWorkspaceRole = frontend({
  name: 'workspaces/roles/update',
  input: z.strictObject({ workspaceId, roleId: idOf('role'), name: name().optional(), permissions: WorkspacePermissionList.optional() }),
  output: z.object({ role: WorkspaceRole }),
  auth: 'user',
  summary: 'Edit a custom workspace role',
  tag,
});

export const frontendDeleteWorkspaceRole = frontend({
  name: 'workspaces/roles/delete',
  input: z.strictObject({ workspaceId, roleId: idOf('role') }),
  output: Ok,
  auth: 'user',
  summary: 'Delete a custom workspace role nobody holds',
  tag,
});
