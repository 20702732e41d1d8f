import { sql } from 'kysely';
import type { Db } from '../../db/schema.js';
import { ApiError } from '../../http/errors.js';

const membersCount = sql<number>`(select count(*)::int from workspace_memberships wm where wm.workspace_id = w.id)`;
const wsRolePermissions = sql<
  string[]
>`array(select p.permission_key from workspace_role_permissions p where p.role_id = m.role_id order by 1)`;

function selectWorkspaces(db: Db) {
  return db
    .selectFrom('workspaces as w')
    .select(['w.id', 'w.organization_id', 'w.name', 'w.created_at', 'w.updated_at', membersCount.as('members_count')]);
}

export type WorkspaceRow = Awaited<ReturnType<typeof findWorkspace>> & {};

/** A workspace by id, whatever its organization: the caller's access to that organization is checked next. */
export function findWorkspace(db: Db, workspaceId: string) {
  return selectWorkspaces(db).where('w.id', '=', workspaceId).executeTakeFirst();
}

export async function getWorkspace(db: Db, organizationId: string, workspaceId: string): Promise<WorkspaceRow> {
  const row = await selectWorkspaces(db).where('w.id', '=', workspaceId).where('w.organization_id', '=', organizationId).executeTakeFirst();
  if (!row) throw new ApiError('not_found', 'No such workspace.');
  return row;
}

/** Workspaces of an organization, oldest first; with `userId` only those the user is a member of. */
export function listWorkspaces(db: Db, organizationId: string, page: { after?: string | undefined; limit: number; userId?: string }) {
  let q = selectWorkspaces(db).where('w.organization_id', '=', organizationId);
  if (page.userId !== undefined) {
    const userId = page.userId;
    q = q.where((eb) =>
      eb.exists(
        eb.selectFrom('workspace_memberships as x').select('x.id').whereRef('x.workspace_id', '=', 'w.id').where('x.user_id', '=', userId),
      ),
    );
  }
  if (page.after !== undefined) q = q.where('w.id', '>', page.after);
  return q
    .orderBy('w.id')
    .limit(page.limit + 1)
    .execute();
}

export async function insertWorkspace(db: Db, row: { id: string; organizationId: string; name: string }, now: Date): Promise<void> {
  await db
    .insertInto('workspaces')
    .values({ id: row.id, organization_id: row.organizationId, name: row.name, created_at: now, updated_at: now })
    .execute();
}

export async function updateWorkspace(db: Db, workspaceId: string, patch: { name?: string | undefined }, now: Date): Promise<void> {
  await db
    .updateTable('workspaces')
    .set({ ...(patch.name !== undefined ? { name: patch.name } : {}), updated_at: now })
    .where('id', '=', workspaceId)
    .execute();
}

export async function deleteWorkspace(db: Db, workspaceId: string): Promise<void> {
  await db.deleteFrom('workspaces').where('id', '=', workspaceId).execute();
}

function selectMembers(db: Db) {
  return db
    .selectFrom('workspace_memberships as m')
    .innerJoin('workspace_roles as r', 'r.id', 'm.role_id')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .leftJoin('user_emails as e', (join) => join.onRef('e.user_id', '=', 'u.id').on('e.is_primary', '=', true))
    .select([
      'm.id',
      'm.workspace_id',
      'm.organization_id',
      'm.user_id',
      'm.role_id',
      'm.created_at',
      'r.key as role_key',
      wsRolePermissions.as('permissions'),
      'e.email',
      'u.first_name',
      'u.last_name',
      'u.image_url',
    ]);
}

export type WorkspaceMemberRow = Awaited<ReturnType<typeof findMemberById>> & {};

export function findMemberById(db: Db, workspaceId: string, membershipId: string) {
  return selectMembers(db).where('m.workspace_id', '=', workspaceId).where('m.id', '=', membershipId).executeTakeFirst();
}

export function findMemberByUser(db: Db, workspaceId: string, userId: string) {
  return selectMembers(db).where('m.workspace_id', '=', workspaceId).where('m.user_id', '=', userId).executeTakeFirst();
}

export function listMembers(db: Db, workspaceId: string, page: { after?: string | undefined; limit: number }) {
  let q = selectMembers(db).where('m.workspace_id', '=', workspaceId);
  if (page.after !== undefined) q = q.where('m.id', '>', page.after);
  return q
    .orderBy('m.id')
    .limit(page.limit + 1)
    .execute();
}

/** A workspace role usable in this workspace: a system workspace role or one of its own. */
export type WorkspaceRoleRow = { id: string; key: string; workspace_id: string | null; permissions: string[] };

export async function resolveWorkspaceRole(
  db: Db,
  workspaceId: string,
  ref: { role?: string | undefined; roleId?: string | undefined },
): Promise<WorkspaceRoleRow> {
  let q = db
    .selectFrom('workspace_roles as r')
    .select([
      'r.id',
      'r.key',
      'r.workspace_id',
      sql<string[]>`array(select p.permission_key from workspace_role_permissions p where p.role_id = r.id order by 1)`.as('permissions'),
    ])
    .where((eb) => eb.or([eb('r.workspace_id', 'is', null), eb('r.workspace_id', '=', workspaceId)]));
  if (ref.roleId !== undefined) q = q.where('r.id', '=', ref.roleId);
  else q = q.where('r.key', '=', ref.role ?? 'member').orderBy(sql`r.workspace_id nulls last`);
  const row = await q.executeTakeFirst();
  if (!row) {
    if (ref.roleId !== undefined) throw new ApiError('not_found', 'No such workspace role.');
    throw new ApiError('invalid_request', `No workspace role has the key ${ref.role}.`);
  }
  return row;
}

export async function insertMember(
  db: Db,
  row: { id: string; workspaceId: string; organizationId: string; userId: string; role: WorkspaceRoleRow },
  now: Date,
): Promise<void> {
  await db
    .insertInto('workspace_memberships')
    .values({
      id: row.id,
      workspace_id: row.workspaceId,
      organization_id: row.organizationId,
      user_id: row.userId,
      role_id: row.role.id,
      role_scope: row.role.workspace_id ?? 'system',
      created_at: now,
      updated_at: now,
    })
    .execute();
}

export async function deleteMember(db: Db, membershipId: string): Promise<void> {
  await db.deleteFrom('workspace_memberships').where('id', '=', membershipId).execute();
}

/** The user's workspace permissions from their own workspace membership (empty when none). */
export async function workspacePermissionsOf(db: Db, workspaceId: string, userId: string): Promise<string[]> {
  const row = await findMemberByUser(db, workspaceId, userId);
  return row?.permissions ?? [];
}

export async function setMemberRole(db: Db, membershipId: string, role: WorkspaceRoleRow, now: Date): Promise<void> {
  await db
    .updateTable('workspace_memberships')
    .set({ role_id: role.id, role_scope: role.workspace_id ?? 'system', updated_at: now })
    .where('id', '=', membershipId)
    .execute();
}

/** A user's workspace memberships across organizations, oldest first, with role name and system flag. */
export function listUserMemberships(db: Db, userId: string, page: { after?: string | undefined; limit: number }) {
  let q = selectMembers(db).select(['r.name as role_name', 'r.workspace_id as role_workspace_id']).where('m.user_id', '=', userId);
  if (page.after !== undefined) q = q.where('m.id', '>', page.after);
  return q
    .orderBy('m.id')
    .limit(page.limit + 1)
    .execute();
}
