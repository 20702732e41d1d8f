import { workspacePermissions } from '@gatehouse/contract';
import type { Context } from 'hono';
import type { Db } from '../../db/schema.js';
import type { Deps } from '../../deps.js';
import type { AppEnv } from '../../http/context.js';
import { ApiError } from '../../http/errors.js';
import { newId } from '../../security/ids.js';
import { authorize, holdsAll, type OrgAccess, refuse } from '../organizations/access.js';
import { clearActiveWorkspace } from '../organizations/active-organization-queries.js';
import { type Change, changeUnderLock, recordChange } from '../organizations/change.js';
import { findAccess, findMemberByUser as findOrgMember } from '../organizations/members-queries.js';
import * as wq from './queries.js';

type WorkspacePermission = keyof typeof workspacePermissions;
const ALL_WORKSPACE_PERMISSIONS = Object.keys(workspacePermissions) as WorkspacePermission[];

/**
 * The caller's effective permissions in a workspace: org `workspaces:manage`
 * (and the secret key) count as every workspace permission, org `workspaces:view` as `workspace:view`,
 * plus whatever the caller's own workspace role grants.
 */
export async function effectiveWorkspacePermissions(db: Db, access: OrgAccess, workspaceId: string): Promise<Set<string>> {
  if (holdsAll(access, ['workspaces:manage'])) return new Set(ALL_WORKSPACE_PERMISSIONS);
  const granted = new Set<string>();
  if (holdsAll(access, ['workspaces:view'])) granted.add('workspace:view');
  if (access.principal.type === 'user') {
    for (const p of await wq.workspacePermissionsOf(db, workspaceId, access.principal.userId)) granted.add(p);
  }
  return granted;
}

/** True when the workspace belongs to the caller's organization and the caller may see it. */
export async function workspaceVisibleTo(db: Db, access: OrgAccess, workspaceId: string): Promise<boolean> {
  const workspace = await wq.findWorkspace(db, workspaceId);
  if (!workspace || workspace.organization_id !== access.organizationId) return false;
  return (await effectiveWorkspacePermissions(db, access, workspaceId)).has('workspace:view');
}

export interface WorkspaceAccess {
  org: OrgAccess;
  workspace: wq.WorkspaceRow;
  permissions: ReadonlySet<string>;
}

/**
 * The one authorization line of a workspace handler. A workspace the caller cannot see, of another
 * organization, or that does not exist is 404 alike; a visible one without `permission` is 403.
 */
export async function authorizeWorkspace(
  c: Context<AppEnv>,
  deps: Pick<Deps, 'db' | 'clock'>,
  workspaceId: string,
  permission?: WorkspacePermission,
): Promise<WorkspaceAccess> {
  const workspace = await wq.findWorkspace(deps.db, workspaceId);
  if (!workspace) throw new ApiError('not_found', 'No such workspace.');
  const org = await authorize(c, deps, workspace.organization_id).catch((error: unknown) => {
    throw error instanceof ApiError && error.code === 'not_found' ? new ApiError('not_found', 'No such workspace.') : error;
  });
  const permissions = await effectiveWorkspacePermissions(deps.db, org, workspaceId);
  // Not even allowed to see it: indistinguishable from a workspace that does not exist.
  if (!permissions.has('workspace:view')) throw new ApiError('not_found', 'No such workspace.');
  if (permission !== undefined && !permissions.has(permission)) {
    await refuse(c, deps, org, `You need the ${permission} permission in this workspace.`);
  }
  return { org, workspace, permissions };
}

/**
 * The frame of every workspace change: one transaction, the organization row locked first (the
 * order every organization change takes, so a concurrent org-member removal serializes with it),
 * the caller's rights re-read under the lock, then the change; a refusal (403) is audited after the
 * rollback.
 */
export async function changeWorkspace<T>(
  db: Db,
  change: Change,
  workspaceId: string,
  permission: WorkspacePermission | 'org',
  run: (tx: Db, permissions: ReadonlySet<string>) => Promise<T>,
): Promise<T> {
  return changeUnderLock(db, change, async (tx, caller) => {
    const access = await caller();
    const permissions = await effectiveWorkspacePermissions(tx, access, workspaceId);
    if (permission === 'org' ? !holdsAll(access, ['workspaces:manage']) : !permissions.has(permission)) {
      throw new ApiError('forbidden', 'You need the workspaces:manage permission in this organization.');
    }
    return run(tx, permissions);
  });
}

export async function createWorkspace(db: Db, change: Change, input: { name: string }): Promise<wq.WorkspaceRow> {
  const orgId = change.access.organizationId;
  const id = newId('workspace', change.now);
  return changeUnderLock(db, change, async (tx, caller) => {
    if (!holdsAll(await caller(), ['workspaces:manage'])) {
      throw new ApiError('forbidden', 'You need the workspaces:manage permission in this organization.');
    }
    await wq.insertWorkspace(tx, { id, organizationId: orgId, name: input.name }, change.now);
    await recordChange(tx, change, { action: 'workspace.created', target: { type: 'workspace', id }, data: { name: input.name } });
    return wq.getWorkspace(tx, orgId, id);
  });
}

export function updateWorkspace(
  db: Db,
  change: Change,
  workspaceId: string,
  patch: { name?: string | undefined },
): Promise<wq.WorkspaceRow> {
  return changeWorkspace(db, change, workspaceId, 'workspace:manage', async (tx) => {
    await wq.updateWorkspace(tx, workspaceId, patch, change.now);
    await recordChange(tx, change, { action: 'workspace.updated', target: { type: 'workspace', id: workspaceId }, data: { ...patch } });
    return wq.getWorkspace(tx, change.access.organizationId, workspaceId);
  });
}

export function deleteWorkspace(db: Db, change: Change, workspaceId: string): Promise<void> {
  return changeWorkspace(db, change, workspaceId, 'org', async (tx) => {
    await wq.deleteWorkspace(tx, workspaceId);
    await recordChange(tx, change, { action: 'workspace.deleted', target: { type: 'workspace', id: workspaceId } });
  });
}

/**
 * Add an organization member to a workspace. The organization row is locked first, so a concurrent
 * removal from the organization either ran before (the member is gone: 409) or waits for this
 * transaction (and then cascades to the new workspace membership). The composite foreign key makes
 * the invariant hold even if a path forgets the lock.
 */
export function addWorkspaceMember(
  db: Db,
  change: Change,
  workspaceId: string,
  input: { userId: string; role?: string | undefined; roleId?: string | undefined },
): Promise<wq.WorkspaceMemberRow> {
  const orgId = change.access.organizationId;
  const id = newId('workspaceMembership', change.now);
  return changeWorkspace(db, change, workspaceId, 'workspace:manage', async (tx, permissions) => {
    const role = await wq.resolveWorkspaceRole(tx, workspaceId, input);
    // No escalation: grant only a role within the caller's own workspace permissions.
    if (!role.permissions.every((p) => permissions.has(p))) {
      throw new ApiError('forbidden', `You cannot grant the ${role.key} role: it has permissions you do not hold.`);
    }
    if (!(await findOrgMember(tx, orgId, input.userId))) {
      throw new ApiError('conflict', 'The user must be a member of the organization first.');
    }
    if (await wq.findMemberByUser(tx, workspaceId, input.userId))
      throw new ApiError('already_member', 'The user is already a member of this workspace.');
    await wq.insertMember(tx, { id, workspaceId, organizationId: orgId, userId: input.userId, role }, change.now);
    await recordChange(tx, change, {
      action: 'workspace.member_added',
      target: { type: 'user', id: input.userId },
      data: { workspaceId, membershipId: id, role: role.key, roleId: role.id },
    });
    const row = await wq.findMemberById(tx, workspaceId, id);
    if (!row) throw new ApiError('internal');
    return row;
  });
}

/** Remove a workspace member (by membership id or user id); undefined when there was none. */
export function removeWorkspaceMember(
  db: Db,
  change: Change,
  workspaceId: string,
  ref: { membershipId: string } | { userId: string },
): Promise<wq.WorkspaceMemberRow | undefined> {
  return changeWorkspace(db, change, workspaceId, 'workspace:manage', async (tx, permissions) => {
    const target =
      'membershipId' in ref
        ? await wq.findMemberById(tx, workspaceId, ref.membershipId)
        : await wq.findMemberByUser(tx, workspaceId, ref.userId);
    if (!target) return undefined;
    // To remove a member, their current role must be within the caller's workspace permissions.
    if (!target.permissions.every((p) => permissions.has(p))) {
      throw new ApiError('forbidden', 'This member has permissions you do not hold, so you cannot remove them.');
    }
    await wq.deleteMember(tx, target.id);
    // Org-wide workspace rights still show them the workspace; otherwise it stops being their active one.
    const orgRights = (await findAccess(tx, change.access.organizationId, target.user_id))?.permissions ?? [];
    if (!orgRights.some((p) => p === 'workspaces:view' || p === 'workspaces:manage')) {
      await clearActiveWorkspace(tx, workspaceId, target.user_id);
    }
    await recordChange(tx, change, {
      action: 'workspace.member_removed',
      target: { type: 'user', id: target.user_id },
      data: { workspaceId, membershipId: target.id, role: target.role_key },
    });
    return target;
  });
}

/** Change a workspace member's role: the target's current role and the new one must be within the caller's. */
export function changeWorkspaceMemberRole(
  db: Db,
  change: Change,
  workspaceId: string,
  ref: { membershipId: string } | { userId: string },
  roleRef: { role?: string | undefined; roleId?: string | undefined },
): Promise<wq.WorkspaceMemberRow> {
  return changeWorkspace(db, change, workspaceId, 'workspace:manage', async (tx, permissions) => {
    const target =
      'membershipId' in ref
        ? await wq.findMemberById(tx, workspaceId, ref.membershipId)
        : await wq.findMemberByUser(tx, workspaceId, ref.userId);
    if (!target) throw new ApiError('not_found', 'No such workspace member.');
    const role = await wq.resolveWorkspaceRole(tx, workspaceId, roleRef);
    if (!target.permissions.every((p) => permissions.has(p))) {
      throw new ApiError('forbidden', 'This member has permissions you do not hold, so you cannot change them.');
    }
    if (!role.permissions.every((p) => permissions.has(p))) {
      throw new ApiError('forbidden', `You cannot grant the ${role.key} role: it has permissions you do not hold.`);
    }
    if (role.id === target.role_id) return target;
    await wq.setMemberRole(tx, target.id, role, change.now);
    await recordChange(tx, change, {
      action: 'workspace.member_role_changed',
      target: { type: 'user', id: target.user_id },
      data: { workspaceId, membershipId: target.id, from: target.role_key, to: role.key, roleId: role.id },
    });
    const row = await wq.findMemberById(tx, workspaceId, target.id);
    if (!row) throw new ApiError('internal');
    return row;
  });
}
