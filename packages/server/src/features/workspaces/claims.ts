import type { Db } from '../../db/schema.js';
import * as wq from './queries.js';

/**
 * `ws_id`, `ws_role`, `ws_permissions` of the active workspace, read at mint time so they are never
 * stale. `orgPermissions` are the caller's organization permissions (the org claims): org
 * `workspaces:manage` counts as every workspace permission, `workspaces:view` as `workspace:view`.
 * Undefined when the workspace is gone, of another organization, or not visible to the user.
 */
export async function activeWorkspaceClaims(
  db: Db,
  userId: string,
  organizationId: string,
  workspaceId: string,
  orgPermissions: readonly string[],
): Promise<{ ws_id: string; ws_role?: string; ws_permissions: string[] } | undefined> {
  const workspace = await wq.findWorkspace(db, workspaceId);
  if (!workspace || workspace.organization_id !== organizationId) return undefined;
  const member = await wq.findMemberByUser(db, workspaceId, userId);
  const granted = new Set(member?.permissions ?? []);
  if (orgPermissions.includes('workspaces:manage')) {
    granted.add('workspace:view');
    granted.add('workspace:manage');
  }
  if (orgPermissions.includes('workspaces:view')) granted.add('workspace:view');
  if (!granted.has('workspace:view')) return undefined;
  return { ws_id: workspaceId, ...(member ? { ws_role: member.role_key } : {}), ws_permissions: [...granted].sort() };
}
