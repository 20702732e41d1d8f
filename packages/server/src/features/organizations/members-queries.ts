import { sql } from 'kysely';
import { compiledQuery } from '../../db/compiled.js';
import type { Db } from '../../db/schema.js';
import { ApiError, describeUniqueConstraint } from '../../http/errors.js';
import { OWNER_ROLE_ID } from './roles-queries.js';

describeUniqueConstraint('memberships_org_user_key', 'This user is already a member of this organization.');

/** Expanded permissions of membership `m`'s role, against the live catalog, sorted (empty when there is no `m`). */
export const rolePermissions = sql<string[]>`array(select g.permission_key from role_grants g where g.role_id = m.role_id order by 1)`;

/**
 * A user's standing in an organization: membership, role and expanded permissions in ONE query
 * (the hot path of every organization-scoped request).
 */
export async function findAccess(db: Db, organizationId: string, userId: string) {
  return (await compiledAccess(db, organizationId, userId))[0];
}

/** Built once: authorize() runs it on every organization-scoped request. */
const compiledAccess = compiledQuery(accessQuery);

/** The query of {@link findAccess}, unexecuted (tests read its plan). */
export function accessQuery(db: Db, organizationId: string, userId: string) {
  return db
    .selectFrom('memberships as m')
    .innerJoin('roles as r', 'r.id', 'm.role_id')
    .select(['m.id', 'm.role_id', 'r.key as role_key', rolePermissions.as('permissions')])
    .where('m.organization_id', '=', organizationId)
    .where('m.user_id', '=', userId);
}

/** Memberships with the user summary, role key and permissions. */
function selectMembers(db: Db) {
  return db
    .selectFrom('memberships as m')
    .innerJoin('roles as r', 'r.id', 'm.role_id')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .leftJoin('user_emails as e', (join) => join.onRef('e.user_id', '=', 'u.id').on('e.is_primary', '=', true))
    .select([
      'm.id',
      'm.organization_id',
      'm.user_id',
      'm.role_id',
      'm.created_at',
      'r.key as role_key',
      rolePermissions.as('permissions'),
      'e.email',
      'u.first_name',
      'u.last_name',
      'u.image_url',
    ]);
}

export type MemberRow = Awaited<ReturnType<typeof findMember>> & {};

/** A membership by id, only within the given organization (another organization's id is "not found"). */
export function findMember(db: Db, organizationId: string, membershipId: string) {
  return selectMembers(db).where('m.organization_id', '=', organizationId).where('m.id', '=', membershipId).executeTakeFirst();
}

export function findMemberByUser(db: Db, organizationId: string, userId: string) {
  return selectMembers(db).where('m.organization_id', '=', organizationId).where('m.user_id', '=', userId).executeTakeFirst();
}

/**
 * Lock the user's membership row against removal until the transaction ends (`FOR KEY SHARE`: a
 * role change still goes through). Undefined when the user is not a member.
 */
export function lockMembershipOfUser(db: Db, organizationId: string, userId: string) {
  return db
    .selectFrom('memberships')
    .select('id')
    .where('organization_id', '=', organizationId)
    .where('user_id', '=', userId)
    .forKeyShare()
    .executeTakeFirst();
}

export async function getMember(db: Db, organizationId: string, membershipId: string): Promise<MemberRow> {
  const row = await findMember(db, organizationId, membershipId);
  if (!row) throw new ApiError('not_found', 'No such member.');
  return row;
}

/**
 * One keyset page (limit + 1 rows) of an organization's members, oldest first. The
 * (organization_id, id) index keeps page 1,000 as fast as page 1 at 100,000 members.
 */
export function listMembers(db: Db, organizationId: string, filter: { after?: string | undefined; limit: number }) {
  return membersPageQuery(db, organizationId, filter).execute();
}

/** The query of {@link listMembers}, unexecuted (tests read its plan). */
export function membersPageQuery(db: Db, organizationId: string, filter: { after?: string | undefined; limit: number }) {
  let query = selectMembers(db)
    .where('m.organization_id', '=', organizationId)
    .orderBy('m.id')
    .limit(filter.limit + 1);
  if (filter.after) query = query.where('m.id', '>', filter.after);
  return query;
}

/** Insert a membership; 409 `already_member` when the user is one (the unique index settles races). */
export async function insertMembership(db: Db, m: NewMembership, now: Date): Promise<void> {
  if (!(await addMembershipIfAbsent(db, m, now)))
    throw new ApiError('already_member', 'This user is already a member of this organization.');
}

export interface NewMembership {
  id: string;
  organizationId: string;
  userId: string;
  roleId: string;
  roleOrganizationId: string | null;
}

/** Insert a membership; false (and nothing written) when the user is a member already. */
export async function addMembershipIfAbsent(db: Db, m: NewMembership, now: Date): Promise<boolean> {
  const inserted = await db
    .insertInto('memberships')
    .values({
      id: m.id,
      organization_id: m.organizationId,
      user_id: m.userId,
      role_id: m.roleId,
      role_scope: m.roleOrganizationId ?? 'system',
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['organization_id', 'user_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function setMembershipRole(db: Db, membershipId: string, role: { id: string; organizationId: string | null }, now: Date) {
  await db
    .updateTable('memberships')
    .set({ role_id: role.id, role_scope: role.organizationId ?? 'system', updated_at: now })
    .where('id', '=', membershipId)
    .execute();
}

export async function deleteMembership(db: Db, membershipId: string): Promise<void> {
  await db.deleteFrom('memberships').where('id', '=', membershipId).execute();
}

/** How many owners the organization has. Call after lockOrganization(), inside the transaction. */
export async function countOwners(db: Db, organizationId: string): Promise<number> {
  const row = await db
    .selectFrom('memberships')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organization_id', '=', organizationId)
    .where('role_id', '=', OWNER_ROLE_ID)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A user's memberships with the organization and role, for `organizations/list` and the backend. */
export function listUserMemberships(db: Db, userId: string, filter: { after?: string | undefined; limit: number }) {
  let query = selectMembers(db)
    .innerJoin('organizations as o', 'o.id', 'm.organization_id')
    .select([
      'r.name as role_name',
      'r.organization_id as role_organization_id',
      'o.name as org_name',
      'o.slug as org_slug',
      'o.image_url as org_image_url',
      'o.members_count as org_members_count',
      'o.public_metadata as org_public_metadata',
      'o.private_metadata as org_private_metadata',
      'o.created_at as org_created_at',
      'o.updated_at as org_updated_at',
    ])
    .where('m.user_id', '=', userId)
    .orderBy('m.id')
    .limit(filter.limit + 1);
  if (filter.after) query = query.where('m.id', '>', filter.after);
  return query.execute();
}

export type UserMembershipRow = Awaited<ReturnType<typeof listUserMemberships>>[number];

/** The organizations where the user is a member, locked in id order (a fixed order cannot deadlock). */
export async function lockOrganizationsOfUser(db: Db, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('organizations')
    .select('id')
    .where('id', 'in', (eb) => eb.selectFrom('memberships').select('organization_id').where('user_id', '=', userId))
    .orderBy('id')
    .forUpdate()
    .execute();
  return rows.map((r) => r.id);
}

/** Organizations in which this user is the only owner. */
export async function organizationsWithSoleOwner(db: Db, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('memberships as m')
    .select('m.organization_id')
    .where('m.user_id', '=', userId)
    .where('m.role_id', '=', OWNER_ROLE_ID)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('memberships as other')
            .select('other.id')
            .whereRef('other.organization_id', '=', 'm.organization_id')
            .where('other.role_id', '=', OWNER_ROLE_ID)
            .whereRef('other.user_id', '<>', 'm.user_id'),
        ),
      ),
    )
    .execute();
  return rows.map((r) => r.organization_id);
}
