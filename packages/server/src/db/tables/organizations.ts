import type { ColumnType, Generated } from 'kysely';
import type { JsonObject } from './users.js';

/** Tables of organizations, roles, memberships and the audit log (migration 0003). */

export interface PermissionsTable {
  key: string;
  description: string;
  built_in: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface OrganizationsTable {
  id: string;
  name: string;
  slug: string;
  image_url: string | null;
  /** Kept by a trigger on memberships: never written by application code. */
  members_count: ColumnType<number, never, never>;
  public_metadata: JsonObject;
  private_metadata: JsonObject;
  created_at: Date;
  updated_at: Date;
}

export interface RolesTable {
  id: string;
  /** Null for system roles. */
  organization_id: string | null;
  /** `coalesce(organization_id, 'system')`, generated: the target of the memberships' composite foreign key. */
  scope: ColumnType<string, never, never>;
  key: string;
  name: string;
  grants: ColumnType<'all' | 'all_but_org_delete' | 'listed', 'listed' | undefined, never>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface RolePermissionsTable {
  role_id: string;
  permission_key: string;
}

/** A view: every role's expanded permission set against the current catalog. */
export interface RoleGrantsView {
  role_id: ColumnType<string, never, never>;
  permission_key: ColumnType<string, never, never>;
}

export interface MembershipsTable {
  id: string;
  organization_id: string;
  user_id: string;
  role_id: string;
  /** 'system' for a system role, else the organization id (checked and used by the role foreign key). */
  role_scope: string;
  created_at: Date;
  updated_at: Date;
}

export interface AuditEventsTable {
  id: string;
  /** Not a foreign key: events outlive their organization. */
  organization_id: string | null;
  action: string;
  actor_type: 'user' | 'admin' | 'token';
  actor_id: string;
  target_type: string;
  target_id: string;
  ip: string | null;
  data: JsonObject;
  created_at: Date;
}

export interface OrganizationTables {
  permissions: PermissionsTable;
  organizations: OrganizationsTable;
  roles: RolesTable;
  role_permissions: RolePermissionsTable;
  role_grants: RoleGrantsView;
  memberships: MembershipsTable;
  audit_events: AuditEventsTable;
}
