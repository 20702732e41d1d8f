import type { InvitationRow } from './queries.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function inviterOf(row: InvitationRow) {
  if (row.inviter_user_id === null) return null;
  return { id: row.inviter_user_id, email: row.inviter_email, firstName: row.inviter_first_name, lastName: row.inviter_last_name };
}

function inviterRoleOf(row: InvitationRow) {
  if (row.inviter_role_id === null || row.inviter_role_key === null || row.inviter_role_name === null) return [];
  return [
    {
      id: row.inviter_role_id,
      key: row.inviter_role_key,
      name: row.inviter_role_name,
      permissions: row.inviter_role_permissions,
      isSystemRole: row.inviter_role_organization_id === null,
      organizationId: row.inviter_role_organization_id,
      createdAt: row.inviter_role_created_at,
      updatedAt: row.inviter_role_updated_at,
    },
  ];
}

/** An invitation as both APIs show it: an allow-list, so the token hash never leaves the server. */
export function presentInvitation(row: InvitationRow) {
  const workspaceRole =
    row.workspace_role_id !== null && row.workspace_role_key !== null && row.workspace_role_name !== null
      ? {
          id: row.workspace_role_id,
          key: row.workspace_role_key,
          name: row.workspace_role_name,
          permissions: row.workspace_role_permissions,
          isSystemRole: row.workspace_role_workspace_id === null,
        }
      : null;
  return {
    id: row.id,
    organizationId: row.organization_id,
    email: row.email,
    status: row.status,
    role: row.role_key,
    roleId: row.role_id,
    workspaceId: row.workspace_id,
    workspaceRole: workspaceRole?.key ?? null,
    workspaceRoleId: row.workspace_role_id,
    expiresAt: row.expires_at.toISOString(),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    acceptedAt: iso(row.accepted_at),
    acceptedBy: row.accepted_by,
    revokedAt: iso(row.revoked_at),
    initialOrganizationRole: {
      id: row.role_id,
      key: row.role_key,
      name: row.role_name,
      permissions: row.role_permissions,
      isSystemRole: row.role_organization_id === null,
      organizationId: row.role_organization_id,
    },
    initialWorkspaceRole: workspaceRole,
    workspace: row.workspace_id !== null && row.workspace_name !== null ? { id: row.workspace_id, name: row.workspace_name } : null,
    inviter: inviterOf(row),
    inviterRoles: inviterRoleOf(row).map(({ createdAt: _c, updatedAt: _u, ...role }) => role),
  };
}

/**
 * The seed-002 (Wacht) view of an invitation: snake_case, the fields that page names and no others.
 * System roles carry the invitation's organization id, since that page's clients read a string there.
 * No `token`: only its hash is stored, and it is shown once, by create and resend.
 */
export function presentWachtInvitation(row: InvitationRow) {
  const role = (r: {
    id: string;
    name: string;
    permissions: string[];
    organizationId: string | null;
    createdAt: Date | null;
    updatedAt: Date | null;
  }) => ({
    id: r.id,
    organization_id: r.organizationId ?? row.organization_id,
    name: r.name,
    permissions: r.permissions,
    is_system_role: r.organizationId === null,
    created_at: iso(r.createdAt),
    updated_at: iso(r.updatedAt),
  });
  const inviter = inviterOf(row);
  return {
    id: row.id,
    organization_id: row.organization_id,
    email: row.email,
    status: row.status,
    expires_at: row.expires_at.toISOString(),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    initial_organization_role: role({
      id: row.role_id,
      name: row.role_name,
      permissions: row.role_permissions,
      organizationId: row.role_organization_id,
      createdAt: row.role_created_at,
      updatedAt: row.role_updated_at,
    }),
    initial_workspace_role:
      row.workspace_role_id !== null && row.workspace_role_name !== null
        ? { id: row.workspace_role_id, name: row.workspace_role_name, permissions: row.workspace_role_permissions }
        : null,
    workspace: row.workspace_id !== null && row.workspace_name !== null ? { id: row.workspace_id, name: row.workspace_name } : null,
    inviter: inviter ? { id: inviter.id, first_name: inviter.firstName, last_name: inviter.lastName, email: inviter.email } : null,
    inviter_roles: inviterRoleOf(row).map(role),
  };
}
