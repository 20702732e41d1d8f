/**
 * Built-in organization permissions. The instance's catalog is these plus the
 * SaaS team's own `resource:action` permissions registered through the backend API.
 */
export const builtInPermissions = {
  'org:view': 'See the organization',
  'org:manage': 'Rename the organization, change its settings and API tokens',
  'org:delete': 'Delete the organization',
  'members:view': 'List members',
  'members:manage': 'Invite, remove and change the role of members',
  'roles:manage': 'Create, edit and delete custom roles',
  'workspaces:view': 'See every workspace of the organization',
  'workspaces:manage': 'Create, edit and delete workspaces and manage their members',
  'audit:view': 'Read the audit log',
} as const;

/** A built-in organization permission. */
export type BuiltInPermission = keyof typeof builtInPermissions;

/** Workspace permissions. */
export const workspacePermissions = {
  'workspace:view': 'See the workspace and its members',
  'workspace:manage': 'Edit the workspace, its members and roles',
} as const;

/** A workspace permission. */
export type WorkspacePermission = keyof typeof workspacePermissions;

/** Shape of any permission key, built-in or custom: `resource:action`. */
export const PERMISSION_PATTERN = /^[a-z][a-z0-9_-]{0,47}:[a-z][a-z0-9_-]{0,47}$/;

/** Fixed ids of the system roles. */
export const systemRoleIds = {
  owner: 'role_owner',
  admin: 'role_admin',
  member: 'role_member',
  workspaceAdmin: 'role_ws_admin',
  workspaceMember: 'role_ws_member',
} as const;

/** System organization roles. `owner` and `admin` expand against the whole catalog. */
export const systemOrganizationRoles = [
  { id: systemRoleIds.owner, key: 'owner', name: 'Owner', grants: 'all' },
  { id: systemRoleIds.admin, key: 'admin', name: 'Admin', grants: 'all-but-org-delete' },
  {
    id: systemRoleIds.member,
    key: 'member',
    name: 'Member',
    grants: ['org:view', 'members:view', 'workspaces:view'] satisfies BuiltInPermission[],
  },
] as const;

/** System workspace roles. */
export const systemWorkspaceRoles = [
  { id: systemRoleIds.workspaceAdmin, key: 'admin', name: 'Admin', permissions: ['workspace:view', 'workspace:manage'] },
  { id: systemRoleIds.workspaceMember, key: 'member', name: 'Member', permissions: ['workspace:view'] },
] as const;

/** Expand a system organization role against a catalog of permission keys. */
export function expandSystemRole(key: 'owner' | 'admin' | 'member', catalog: readonly string[]): string[] {
  const role = systemOrganizationRoles.find((r) => r.key === key);
  if (!role) return [];
  if (role.grants === 'all') return [...catalog];
  if (role.grants === 'all-but-org-delete') return catalog.filter((p) => p !== 'org:delete');
  return [...role.grants];
}
