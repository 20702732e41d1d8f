import * as ops from '@gatehouse/contract';
import type { z } from 'zod';
import type { FrontendCaller } from './index.js';

type In<Op extends ops.FrontendOperation> = z.input<Op['input']>;

/** `client.workspaces.*`: workspaces and their members, as the signed-in user. */
export function workspacesApi(call: FrontendCaller) {
  return {
    /** Create a workspace (org workspaces:manage). */
    create: (input: In<typeof ops.frontendCreateWorkspace>) => call(ops.frontendCreateWorkspace, input),
    /** Get a workspace (workspace:view or org workspaces:view). */
    get: (input: In<typeof ops.frontendGetWorkspace>) => call(ops.frontendGetWorkspace, input),
    /** All of the organization's workspaces with org workspaces:view, else yours. */
    list: (input: In<typeof ops.frontendListWorkspaces>) => call(ops.frontendListWorkspaces, input),
    /** Rename a workspace (workspace:manage or org workspaces:manage). */
    update: (input: In<typeof ops.frontendUpdateWorkspace>) => call(ops.frontendUpdateWorkspace, input),
    /** Delete a workspace (org workspaces:manage). */
    delete: (input: In<typeof ops.frontendDeleteWorkspace>) => call(ops.frontendDeleteWorkspace, input),
    roles: {
      list: (input: In<typeof ops.frontendListWorkspaceRoles>) => call(ops.frontendListWorkspaceRoles, input),
      /** Create a custom workspace role (only permissions you hold in the workspace). */
      create: (input: In<typeof ops.frontendCreateWorkspaceRole>) => call(ops.frontendCreateWorkspaceRole, input),
      update: (input: In<typeof ops.frontendUpdateWorkspaceRole>) => call(ops.frontendUpdateWorkspaceRole, input),
      delete: (input: In<typeof ops.frontendDeleteWorkspaceRole>) => call(ops.frontendDeleteWorkspaceRole, input),
    },
    members: {
      list: (input: In<typeof ops.frontendListWorkspaceMembers>) => call(ops.frontendListWorkspaceMembers, input),
      /** Add an organization member (workspace:manage; only roles within your workspace permissions). */
      add: (input: In<typeof ops.frontendAddWorkspaceMember>) => call(ops.frontendAddWorkspaceMember, input),
      /** Change a member's workspace role (no escalation). */
      setRole: (input: In<typeof ops.frontendSetWorkspaceMemberRole>) => call(ops.frontendSetWorkspaceMemberRole, input),
      remove: (input: In<typeof ops.frontendRemoveWorkspaceMember>) => call(ops.frontendRemoveWorkspaceMember, input),
    },
  };
}

/** `client.me.workspaces.list`: your workspaces, with your workspace role. */
export function myWorkspacesApi(call: FrontendCaller) {
  return { list: (input: In<typeof ops.frontendListMyWorkspaces> = {}) => call(ops.frontendListMyWorkspaces, input) };
}
