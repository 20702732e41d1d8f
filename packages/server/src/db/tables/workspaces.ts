import type { ColumnType, Generated } from 'kysely';

/** Tables of workspaces, their roles and memberships (migration 0006). */

export interface WorkspacesTable {
  id: string;
  organization_id: string;
  name: string;
  created_at: Date;
  updated_at: Date;
}

export interface WorkspaceRolesTable {
  id: string;
  /** Null for the system workspace roles. */
  workspace_id: string | null;
  /** `coalesce(workspace_id, 'system')`, generated: the target of the memberships' role foreign key. */
  scope: ColumnType<string, never, never>;
  key: string;
  name: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface WorkspaceRolePermissionsTable {
  role_id: string;
  permission_key: string;
}

export interface WorkspaceMembershipsTable {
  id: string;
  workspace_id: string;
  organization_id: string;
  user_id: string;
  role_id: string;
  /** 'system' for a system role, else the workspace id. */
  role_scope: string;
  created_at: Date;
  updated_at: Date;
}

export interface WorkspaceTables {
  workspaces: WorkspacesTable;
  workspace_roles: WorkspaceRolesTable;
  workspace_role_permissions: WorkspaceRolePermissionsTable;
  workspace_memberships: WorkspaceMembershipsTable;
}
