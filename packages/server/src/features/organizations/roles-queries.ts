import { sql } from 'kysely';
import { compiledQuery } from '../../db/compiled.js';
import type { Db } from '../../db/schema.js';
import { ApiError, describeUniqueConstraint } from '../../http/errors.js';

describeUniqueConstraint('roles_scope_key_key', 'A role with this key already exists in this organization.');
describeUniqueConstraint('roles_scope_name_key', 'A role with this name already exists in this organization.');
describeUniqueConstraint('permissions_pkey', 'This permission is already in the catalog.');

/** The system role keys; custom roles never take them. */
export const SYSTEM_ROLE_KEYS: readonly string[] = ['owner', 'admin', 'member'];
export const OWNER_ROLE_ID = 'role_owner';

export interface RoleRow {
  id: string;
  organization_id: string | null;
  key: string;
  name: string;
  permissions: string[];
}

/** Roles with their permissions expanded against the live catalog, in one query. */
function selectRoles(db: Db) {
  return db
    .selectFrom('roles')
    .select([
      'roles.id',
      'roles.organization_id',
      'roles.key',
      'roles.name',
      sql<string[]>`array(select g.permission_key from role_grants g where g.role_id = roles.id order by 1)`.as('permissions'),
    ]);
}

/** The system roles and, with an organization id, that organization's custom roles (system first). */
export function listRoles(db: Db, organizationId: string | undefined): Promise<RoleRow[]> {
  let query = selectRoles(db);
  query = organizationId
    ? query.where((eb) => eb.or([eb('roles.organization_id', 'is', null), eb('roles.organization_id', '=', organizationId)]))
    : query.where('roles.organization_id', 'is', null);
  // System roles in rank order, then custom roles oldest first.
  return query
    .orderBy(sql`case roles.id when 'role_owner' then 0 when 'role_admin' then 1 when 'role_member' then 2 else 3 end`)
    .orderBy('roles.created_at')
    .orderBy('roles.id')
    .execute();
}

/**
 * Resolve a role named by key or id for use in an organization: a system role or one of that
 * organization's own. A role id of another organization answers exactly like one that does not
 * exist (404 `not_found`), so ids cannot be probed across organizations. An unknown
 * key is a mistake in the input rather than an id to look up: 400, naming the field.
 */
export async function resolveRole(db: Db, organizationId: string, ref: { role?: string | undefined; roleId?: string | undefined }) {
  const [row] =
    ref.roleId !== undefined ? await roleById(db, organizationId, ref.roleId) : await roleByKey(db, organizationId, ref.role ?? 'member');
  if (row) return row;
  if (ref.roleId !== undefined) throw new ApiError('not_found', 'No such role.');
  throw new ApiError('invalid_request', `There is no role ${ref.role ?? 'member'} in this organization.`, [
    { path: 'role', message: 'unknown role' },
  ]);
}

/** The roles one organization sees: the system roles and its own. */
function rolesSeenBy(db: Db, organizationId: string) {
  return selectRoles(db).where((eb) => eb.or([eb('roles.organization_id', 'is', null), eb('roles.organization_id', '=', organizationId)]));
}

// Built once: every invitation, join code and member change resolves its role.
const roleById = compiledQuery((db: Db, organizationId: string, roleId: string) =>
  rolesSeenBy(db, organizationId).where('roles.id', '=', roleId),
);
const roleByKey = compiledQuery((db: Db, organizationId: string, key: string) =>
  rolesSeenBy(db, organizationId).where('roles.key', '=', key),
);

/** A custom or system role by id, seen from an organization (404 for another organization's). */
export async function getRole(db: Db, organizationId: string, roleId: string): Promise<RoleRow> {
  const row = await selectRoles(db)
    .where('roles.id', '=', roleId)
    .where((eb) => eb.or([eb('roles.organization_id', 'is', null), eb('roles.organization_id', '=', organizationId)]))
    .executeTakeFirst();
  if (!row) throw new ApiError('not_found', 'No such role.');
  return row;
}

/** Refuse permissions missing from the catalog, naming them (400, as everywhere). */
export async function assertKnownPermissions(db: Db, permissions: readonly string[]): Promise<void> {
  if (permissions.length === 0) return;
  const rows = await db
    .selectFrom('permissions')
    .select('key')
    .where('key', 'in', [...new Set(permissions)])
    .execute();
  const known = new Set(rows.map((r) => r.key));
  const unknown = permissions.filter((p) => !known.has(p));
  if (unknown.length > 0) {
    throw new ApiError('invalid_request', `Unknown permission: ${unknown.join(', ')}. Register it first (POST /backend/v1/permissions).`, [
      { path: 'permissions', message: `unknown: ${unknown.join(', ')}` },
    ]);
  }
}

/** A role key from a name ("Billing Admin" → "billing_admin"). */
export function roleKeyFrom(name: string): string {
  const key = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+|_+$/g, '')
    .slice(0, 50)
    .replace(/_+$/g, '');
  if (!key)
    throw new ApiError('invalid_request', 'Give the role a key: none can be made from this name.', [{ path: 'key', message: 'required' }]);
  return key;
}

/**
 * A custom role may not take a system role's key or name: an "Owner" custom role would read like
 * the real one in a member list. Names compare trimmed and case-insensitively.
 */
export function assertNotSystemKey(key: string, name?: string): void {
  if (SYSTEM_ROLE_KEYS.includes(key.toLowerCase())) {
    throw new ApiError('conflict', `The key ${key} belongs to a system role; choose another.`);
  }
  if (name !== undefined && SYSTEM_ROLE_KEYS.includes(name.trim().toLowerCase())) {
    throw new ApiError('conflict', `The name ${name.trim()} belongs to a system role; choose another.`);
  }
}

async function replacePermissions(db: Db, roleId: string, permissions: readonly string[]): Promise<void> {
  await db.deleteFrom('role_permissions').where('role_id', '=', roleId).execute();
  const unique = [...new Set(permissions)];
  if (unique.length > 0) {
    await db
      .insertInto('role_permissions')
      .values(unique.map((p) => ({ role_id: roleId, permission_key: p })))
      .execute();
  }
}

export async function insertRole(
  db: Db,
  role: { id: string; organizationId: string; key: string; name: string; permissions: readonly string[] },
  now: Date,
): Promise<void> {
  await db
    .insertInto('roles')
    .values({ id: role.id, organization_id: role.organizationId, key: role.key, name: role.name, created_at: now, updated_at: now })
    .execute();
  await replacePermissions(db, role.id, role.permissions);
}

export async function updateRole(
  db: Db,
  roleId: string,
  changes: { name?: string | undefined; permissions?: readonly string[] | undefined },
  now: Date,
): Promise<void> {
  await db
    .updateTable('roles')
    .set({ ...(changes.name !== undefined ? { name: changes.name } : {}), updated_at: now })
    .where('id', '=', roleId)
    .execute();
  if (changes.permissions !== undefined) await replacePermissions(db, roleId, changes.permissions);
}

export async function roleInUse(db: Db, roleId: string): Promise<boolean> {
  const row = await db.selectFrom('memberships').select('id').where('role_id', '=', roleId).limit(1).executeTakeFirst();
  return row !== undefined;
}

export async function deleteRole(db: Db, roleId: string): Promise<void> {
  await db.deleteFrom('roles').where('id', '=', roleId).execute();
}

/** The permission catalog, built-ins first. */
export function listCatalog(db: Db) {
  return db.selectFrom('permissions').select(['key', 'description', 'built_in']).orderBy('built_in', 'desc').orderBy('key').execute();
}

export function presentCatalogPermission(row: { key: string; description: string; built_in: boolean }) {
  return { key: row.key, description: row.description, builtIn: row.built_in };
}
