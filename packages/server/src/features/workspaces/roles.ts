import type { Db } from '../../db/schema.js';
import { ApiError } from '../../http/errors.js';
import { newId } from '../../security/ids.js';
import type { Change } from '../organizations/change.js';
import { recordChange } from '../organizations/change.js';
import { changeWorkspace } from './workspaces.js';

export interface WorkspaceRoleOut {
  id: string;
  key: string;
  name: string;
  permissions: string[];
  isSystemRole: boolean;
  workspaceId: string | null;
}

/** System workspace roles and the workspace's custom roles, permissions expanded. */
export async function listWorkspaceRoles(db: Db, workspaceId: string): Promise<WorkspaceRoleOut[]> {
  const rows = await db
    .selectFrom('workspace_roles as r')
    .leftJoin('workspace_role_permissions as p', 'p.role_id', 'r.id')
    .select(['r.id', 'r.key', 'r.name', 'r.workspace_id', 'p.permission_key'])
    .where((eb) => eb.or([eb('r.workspace_id', 'is', null), eb('r.workspace_id', '=', workspaceId)]))
    .orderBy('r.id')
    .orderBy('p.permission_key')
    .execute();
  const byId = new Map<string, WorkspaceRoleOut>();
  for (const r of rows) {
    let role = byId.get(r.id);
    if (!role) {
      role = { id: r.id, key: r.key, name: r.name, permissions: [], isSystemRole: r.workspace_id === null, workspaceId: r.workspace_id };
      byId.set(r.id, role);
    }
    if (r.permission_key) role.permissions.push(r.permission_key);
  }
  return [...byId.values()];
}

async function getRole(db: Db, workspaceId: string, roleId: string): Promise<WorkspaceRoleOut> {
  const role = (await listWorkspaceRoles(db, workspaceId)).find((r) => r.id === roleId);
  if (!role) throw new ApiError('not_found', 'No such workspace role.');
  return role;
}

/** No escalation: a role's permissions must be within the caller's workspace permissions. */
function assertWithin(permissions: ReadonlySet<string>, wanted: readonly string[]): void {
  if (!wanted.every((p) => permissions.has(p)))
    throw new ApiError('forbidden', 'The role has permissions you do not hold in this workspace.');
}

export function createWorkspaceRole(
  db: Db,
  change: Change,
  workspaceId: string,
  input: { name: string; key?: string | undefined; permissions: string[] },
): Promise<WorkspaceRoleOut> {
  const id = newId('role', change.now);
  return changeWorkspace(db, change, workspaceId, 'workspace:manage', async (tx, permissions) => {
    assertWithin(permissions, input.permissions);
    const key =
      input.key ??
      (input.name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '_')
        .replace(/^[^a-z]+|_+$/g, '') ||
        'role');
    await tx.insertInto('workspace_roles').values({ id, workspace_id: workspaceId, key, name: input.name }).execute();
    const unique = [...new Set(input.permissions)];
    if (unique.length > 0)
      await tx
        .insertInto('workspace_role_permissions')
        .values(unique.map((p) => ({ role_id: id, permission_key: p })))
        .execute();
    await recordChange(tx, change, {
      action: 'workspace.role_created',
      target: { type: 'role', id },
      data: { workspaceId, key, permissions: unique },
    });
    return getRole(tx, workspaceId, id);
  });
}

export function updateWorkspaceRole(
  db: Db,
  change: Change,
  workspaceId: string,
  roleId: string,
  input: { name?: string | undefined; permissions?: string[] | undefined },
): Promise<WorkspaceRoleOut> {
  return changeWorkspace(db, change, workspaceId, 'workspace:manage', async (tx, permissions) => {
    const role = await getRole(tx, workspaceId, roleId);
    if (role.isSystemRole) throw new ApiError('forbidden', 'System roles cannot be changed.');
    // Editing a role needs its current and its new permissions within the caller's.
    assertWithin(permissions, role.permissions);
    if (input.permissions) assertWithin(permissions, input.permissions);
    if (input.name !== undefined)
      await tx.updateTable('workspace_roles').set({ name: input.name, updated_at: change.now }).where('id', '=', roleId).execute();
    if (input.permissions) {
      await tx.deleteFrom('workspace_role_permissions').where('role_id', '=', roleId).execute();
      const unique = [...new Set(input.permissions)];
      if (unique.length > 0)
        await tx
          .insertInto('workspace_role_permissions')
          .values(unique.map((p) => ({ role_id: roleId, permission_key: p })))
          .execute();
    }
    await recordChange(tx, change, {
      action: 'workspace.role_updated',
      target: { type: 'role', id: roleId },
      data: { workspaceId, ...input },
    });
    return getRole(tx, workspaceId, roleId);
  });
}

/** Delete a custom workspace role; one still held is 409 (the memberships' foreign key refuses). */
export function deleteWorkspaceRole(db: Db, change: Change, workspaceId: string, roleId: string): Promise<void> {
  return changeWorkspace(db, change, workspaceId, 'workspace:manage', async (tx, permissions) => {
    const role = await getRole(tx, workspaceId, roleId);
    if (role.isSystemRole) throw new ApiError('forbidden', 'System roles cannot be deleted.');
    assertWithin(permissions, role.permissions);
    const held = await tx.selectFrom('workspace_memberships').select('id').where('role_id', '=', roleId).executeTakeFirst();
    if (held) throw new ApiError('conflict', 'Members still hold this role.');
    await tx.deleteFrom('workspace_roles').where('id', '=', roleId).execute();
    await recordChange(tx, change, {
      action: 'workspace.role_deleted',
      target: { type: 'role', id: roleId },
      data: { workspaceId, key: role.key },
    });
  });
}
