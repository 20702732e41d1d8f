import { sql } from 'kysely';
import { compiledQuery } from '../../db/compiled.js';
import type { Db } from '../../db/schema.js';
import type { InvitationStatus, InvitationsTable } from '../../db/tables/invitations.js';

/**
 * The status a reader sees: a pending invitation past its expiry is `expired` even before a write
 * marks it so. Compared with the server clock passed in (`now`), never the database's.
 */
function effectiveStatus(now: Date) {
  return sql<InvitationStatus>`case when i.status = 'pending' and i.expires_at <= ${now} then 'expired' else i.status end`;
}

/** An invitation with everything its presenters show resolved, in one query. */
function selectInvitations(db: Db, now: Date) {
  return db
    .selectFrom('invitations as i')
    .innerJoin('roles as r', 'r.id', 'i.role_id')
    .leftJoin('workspace_roles as wr', 'wr.id', 'i.workspace_role_id')
    .leftJoin('workspaces as w', 'w.id', 'i.workspace_id')
    .leftJoin('users as u', 'u.id', 'i.inviter_user_id')
    .leftJoin('user_emails as ue', (join) => join.onRef('ue.user_id', '=', 'u.id').on('ue.is_primary', '=', true))
    .leftJoin('memberships as im', (join) =>
      join.onRef('im.organization_id', '=', 'i.organization_id').onRef('im.user_id', '=', 'i.inviter_user_id'),
    )
    .leftJoin('roles as ir', 'ir.id', 'im.role_id')
    .select([
      'i.id',
      'i.organization_id',
      'i.email',
      'i.workspace_id',
      'i.role_id',
      'i.workspace_role_id',
      'i.expiry_days',
      'i.expires_at',
      'i.inviter_type',
      'i.inviter_id',
      'i.inviter_user_id',
      'i.accepted_at',
      'i.accepted_by',
      'i.revoked_at',
      'i.created_at',
      'i.updated_at',
      effectiveStatus(now).as('status'),
      'r.key as role_key',
      'r.name as role_name',
      'r.organization_id as role_organization_id',
      'r.created_at as role_created_at',
      'r.updated_at as role_updated_at',
      sql<string[]>`array(select g.permission_key from role_grants g where g.role_id = r.id order by 1)`.as('role_permissions'),
      'wr.key as workspace_role_key',
      'wr.name as workspace_role_name',
      'wr.workspace_id as workspace_role_workspace_id',
      sql<string[]>`array(select p.permission_key from workspace_role_permissions p where p.role_id = wr.id order by 1)`.as(
        'workspace_role_permissions',
      ),
      'w.name as workspace_name',
      'u.first_name as inviter_first_name',
      'u.last_name as inviter_last_name',
      'ue.email as inviter_email',
      'ir.id as inviter_role_id',
      'ir.key as inviter_role_key',
      'ir.name as inviter_role_name',
      'ir.organization_id as inviter_role_organization_id',
      'ir.created_at as inviter_role_created_at',
      'ir.updated_at as inviter_role_updated_at',
      sql<string[]>`array(select g.permission_key from role_grants g where g.role_id = ir.id order by 1)`.as('inviter_role_permissions'),
    ]);
}

export type InvitationRow = Awaited<ReturnType<typeof findInvitation>> & {};

/** An invitation by id, only within its organization (another organization's id is "not found"). */
export async function findInvitation(db: Db, organizationId: string, invitationId: string, now: Date) {
  return (await invitationById(db, organizationId, invitationId, now))[0];
}

/** Built once: every invitation change answers with it. */
const invitationById = compiledQuery((db: Db, organizationId: string, invitationId: string, now: Date) =>
  selectInvitations(db, now).where('i.organization_id', '=', organizationId).where('i.id', '=', invitationId),
);

export interface InvitationFilter {
  workspaceId?: string | undefined;
  status?: InvitationStatus | undefined;
  includeDeleted?: boolean | undefined;
  /** Keyset: ids below this one (newest first). */
  before?: string | undefined;
  limit: number;
}

/**
 * One page (limit + 1 rows) of an organization's invitations, newest first. Pending and expired by
 * default; `includeDeleted` adds accepted and revoked; `status` keeps exactly one (as readers see it).
 */
export function listInvitations(db: Db, organizationId: string, filter: InvitationFilter, now: Date) {
  let q = selectInvitations(db, now).where('i.organization_id', '=', organizationId);
  if (filter.workspaceId !== undefined) q = q.where('i.workspace_id', '=', filter.workspaceId);
  if (filter.status !== undefined) q = q.where(effectiveStatus(now), '=', filter.status);
  else if (!filter.includeDeleted) q = q.where('i.status', 'in', ['pending', 'expired']);
  if (filter.before !== undefined) q = q.where('i.id', '<', filter.before);
  return q
    .orderBy('i.id', 'desc')
    .limit(filter.limit + 1)
    .execute();
}

/** The invitation a token names (by the token's hash: the lookup itself reveals nothing by its timing). */
export function findInvitationByTokenHash(db: Db, tokenHash: string) {
  return db.selectFrom('invitations').select(['id', 'organization_id']).where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** The raw row, locked until the transaction ends: accept, revoke and resend of one invitation queue on it. */
export function lockInvitation(db: Db, organizationId: string, invitationId: string) {
  return db
    .selectFrom('invitations')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', '=', invitationId)
    .forUpdate()
    .executeTakeFirst();
}

export type InvitationRecord = Omit<InvitationsTable, 'scope'>;

/**
 * Mark the stale pending invitations of one email and scope `expired`, so they stop holding the
 * one-pending-invitation index; runs in the transaction of the insert that follows.
 */
export async function expireStale(db: Db, organizationId: string, workspaceId: string | null, email: string, now: Date): Promise<void> {
  await expireStaleOf(db, organizationId, workspaceId ?? 'organization', email, now);
}

const expireStaleOf = compiledQuery((db: Db, organizationId: string, scope: string, email: string, now: Date) =>
  db
    .updateTable('invitations')
    .set({ status: 'expired', updated_at: now })
    .where('organization_id', '=', organizationId)
    .where('scope', '=', scope)
    .where('email', '=', email)
    .where('status', '=', 'pending')
    .where('expires_at', '<=', now),
);

/** Insert a pending invitation; false when a live pending one of that email and scope holds the index. */
export async function insertInvitation(db: Db, row: InvitationRecord): Promise<boolean> {
  const inserted = await db
    .insertInto('invitations')
    .values(row)
    // The index predicate as a literal: PostgreSQL matches a partial index only against constants, not parameters.
    .onConflict((oc) => oc.columns(['organization_id', 'scope', 'email']).where('status', '=', sql.lit('pending')).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** A live pending invitation of the same email and scope other than `exceptId`. */
export function findLivePending(db: Db, row: Pick<InvitationRecord, 'organization_id' | 'workspace_id' | 'email' | 'id'>, now: Date) {
  return db
    .selectFrom('invitations')
    .select('id')
    .where('organization_id', '=', row.organization_id)
    .where('scope', '=', row.workspace_id ?? 'organization')
    .where('email', '=', row.email)
    .where('status', '=', 'pending')
    .where('expires_at', '>', now)
    .where('id', '<>', row.id)
    .executeTakeFirst();
}

/**
 * True when a member of the scope (the organization, or the workspace) owns this email, verified:
 * an unverified address proves nothing, so it does not make its holder "already a member".
 */
export async function scopeHasMemberWithEmail(db: Db, organizationId: string, workspaceId: string | null, email: string) {
  const rows =
    workspaceId === null
      ? await organizationMemberWithEmail(db, organizationId, email)
      : await workspaceMemberWithEmail(db, workspaceId, email);
  return rows.length > 0;
}

// Built once each: every invitation create asks one of them.
const organizationMemberWithEmail = compiledQuery((db: Db, organizationId: string, email: string) =>
  db
    .selectFrom('memberships as m')
    .innerJoin('user_emails as e', 'e.user_id', 'm.user_id')
    .select('m.id')
    .where('m.organization_id', '=', organizationId)
    .where('e.email', '=', email)
    .where('e.verified', '=', true)
    .limit(1),
);
const workspaceMemberWithEmail = compiledQuery((db: Db, workspaceId: string, email: string) =>
  db
    .selectFrom('workspace_memberships as m')
    .innerJoin('user_emails as e', 'e.user_id', 'm.user_id')
    .select('m.id')
    .where('m.workspace_id', '=', workspaceId)
    .where('e.email', '=', email)
    .where('e.verified', '=', true)
    .limit(1),
);

/** True when the user owns this email, verified. */
export async function userOwnsVerifiedEmail(db: Db, userId: string, email: string): Promise<boolean> {
  const row = await db
    .selectFrom('user_emails')
    .select('id')
    .where('user_id', '=', userId)
    .where('email', '=', email)
    .where('verified', '=', true)
    .executeTakeFirst();
  return row !== undefined;
}
