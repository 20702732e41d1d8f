import type { WorkspaceMemberRow, WorkspaceRow } from './queries.js';

export function presentWorkspace(row: WorkspaceRow) {
  return {
    id: row.id,
    organizationId: row.organization_id,
    name: row.name,
    membersCount: row.members_count,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function presentWorkspaceMember(row: WorkspaceMemberRow) {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    organizationId: row.organization_id,
    userId: row.user_id,
    role: row.role_key,
    roleId: row.role_id,
    permissions: row.permissions,
    user: { id: row.user_id, email: row.email, firstName: row.first_name, lastName: row.last_name, imageUrl: row.image_url },
    createdAt: row.created_at.toISOString(),
  };
}
