import * as ops from '@gatehouse/contract';
import type { z } from 'zod';
import type { BackendCaller } from './users.js';

type Body<Op extends ops.BackendOperation> = z.input<NonNullable<Op['body']>>;
type Query<Op extends ops.BackendOperation> = z.input<NonNullable<Op['query']>>;

/** A workspace as the API returns it. */
export type Workspace = z.output<typeof ops.Workspace>;
/** A workspace membership (role key, role id, expanded workspace permissions, user summary). */
export type WorkspaceMembership = z.output<typeof ops.WorkspaceMembership>;

/** `workspaces.*` of the backend client (seed 000: CRUD + members), by workspace id. */
export function workspacesApi(call: BackendCaller) {
  return {
    /** An organization's workspaces, oldest first, one page at a time. */
    list: (query: Query<typeof ops.listWorkspaces>) => call(ops.listWorkspaces, { query }),
    get: (workspaceId: string) => call(ops.getWorkspace, { params: { workspaceId } }),
    update: (workspaceId: string, body: Body<typeof ops.updateWorkspace>) => call(ops.updateWorkspace, { params: { workspaceId }, body }),
    /** Delete a workspace with its memberships and custom roles. */
    delete: (workspaceId: string) => call(ops.deleteWorkspace, { params: { workspaceId } }),
    roles: {
      /** System workspace roles and the workspace's custom roles (seed 000: `fetch_roles`). */
      list: (workspaceId: string) => call(ops.listWorkspaceRoles, { params: { workspaceId } }),
      create: (workspaceId: string, body: Body<typeof ops.createWorkspaceRole>) =>
        call(ops.createWorkspaceRole, { params: { workspaceId }, body }),
      update: (workspaceId: string, roleId: string, body: Body<typeof ops.updateWorkspaceRole>) =>
        call(ops.updateWorkspaceRole, { params: { workspaceId, roleId }, body }),
      delete: (workspaceId: string, roleId: string) => call(ops.deleteWorkspaceRole, { params: { workspaceId, roleId } }),
    },
    members: {
      list: (workspaceId: string, query: Query<typeof ops.listWorkspaceMembers> = {}) =>
        call(ops.listWorkspaceMembers, { params: { workspaceId }, query }),
      /** Add an organization member (409 `conflict` when the user is not one). */
      add: (workspaceId: string, body: Body<typeof ops.addWorkspaceMember>) =>
        call(ops.addWorkspaceMember, { params: { workspaceId }, body }),
      /** Change a member's workspace role. */
      update: (workspaceId: string, membershipId: string, body: Body<typeof ops.updateWorkspaceMember>) =>
        call(ops.updateWorkspaceMember, { params: { workspaceId, membershipId }, body }),
      remove: (workspaceId: string, membershipId: string) => call(ops.removeWorkspaceMember, { params: { workspaceId, membershipId } }),
    },
  };
}

/** `organizations.createWorkspace` of the backend client. */
export function createWorkspaceApi(call: BackendCaller) {
  return (organizationId: string, body: Body<typeof ops.createWorkspace>) =>
    call(ops.createWorkspace, { params: { orgId: organizationId }, body });
}

/** `users.memberships.listWorkspaces` of the backend client. */
export function listUserWorkspacesApi(call: BackendCaller) {
  return (userId: string, query: Query<typeof ops.listUserWorkspaceMemberships> = {}) =>
    call(ops.listUserWorkspaceMemberships, { params: { userId }, query });
}
