import type { Db } from '../../db/schema.js';

// The sessions table belongs to the sessions feature (migration 0002); only its two "active"
// columns are ours to write. The active workspace always lies in the active organization, so
// whatever changes the organization changes the workspace too.

/** Point one session at an organization (and workspace), or at none. */
export async function setActiveOrganization(
  db: Db,
  sessionId: string,
  active: { organizationId: string | null; workspaceId: string | null },
): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ active_organization_id: active.organizationId, active_workspace_id: active.workspaceId })
    .where('id', '=', sessionId)
    .execute();
}

/**
 * Stop sessions from naming an organization as active: one user's (removed or left), or everyone's
 * (the organization is deleted). Runs in the transaction of that change, so no session, envelope or
 * JWT afterwards names an organization its user no longer belongs to.
 */
export async function clearActiveOrganization(db: Db, organizationId: string, userId?: string): Promise<void> {
  let query = db
    .updateTable('sessions')
    .set({ active_organization_id: null, active_workspace_id: null })
    .where('active_organization_id', '=', organizationId);
  if (userId !== undefined) query = query.where('user_id', '=', userId);
  await query.execute();
}

/**
 * Stop one user's sessions from naming a workspace they can no longer see (removed from it, and
 * no organization-wide workspace permission): the envelope must not show it as active.
 */
export async function clearActiveWorkspace(db: Db, workspaceId: string, userId: string): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ active_workspace_id: null })
    .where('active_workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .execute();
}
