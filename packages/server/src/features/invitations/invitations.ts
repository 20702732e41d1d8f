import type { Config } from '../../config.js';
import { retryTransaction } from '../../db/retry.js';
import type { Db } from '../../db/schema.js';
import type { InvitationStatus } from '../../db/tables/invitations.js';
import type { Deps } from '../../deps.js';
import type { UserPrincipal } from '../../http/context.js';
import { ApiError } from '../../http/errors.js';
import { newId } from '../../security/ids.js';
import { randomSecret, sha256 } from '../../security/tokens.js';
import { recordEvent } from '../audit/record.js';
import { enqueueEmail } from '../email/outbox.js';
import { assertHolds, type OrgAccess } from '../organizations/access.js';
import { type Change, changeUnderLock, recordChange } from '../organizations/change.js';
import { assertMayGrant } from '../organizations/members.js';
import { findAccess, findMemberByUser, insertMembership } from '../organizations/members-queries.js';
import { lockOrganization } from '../organizations/organizations-queries.js';
import { getRole, OWNER_ROLE_ID, type RoleRow, resolveRole } from '../organizations/roles-queries.js';
import * as wq from '../workspaces/queries.js';
import { effectiveWorkspacePermissions } from '../workspaces/workspaces.js';
import { invitationEmail } from './emails.js';
import * as iq from './queries.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** What create and resend hand back: the invitation, and its token and link, shown this once. */
export interface IssuedInvitation {
  row: iq.InvitationRow;
  token: string;
  acceptUrl: string;
}

/**
 * A new token: 256 bits from the CSPRNG. Only its SHA-256 is stored, so a database leak reveals no
 * usable invitation; the link carries it in the fragment, which browsers never send, so it never
 * reaches an access log or a Referer header.
 */
function issueToken(config: Config) {
  const token = randomSecret(32);
  return { token, hash: sha256(token), acceptUrl: `${config.invitationUrl}#token=${token}` };
}

/**
 * Invitation emails are limited per inviter and per organization, counted before the change: a
 * member (or a key, or a token) cannot make Gatehouse mail an address, or many, without end.
 */
async function limitInvitationEmail(deps: Pick<Deps, 'rateLimiter'>, access: OrgAccess): Promise<void> {
  await deps.rateLimiter.consume('invitationInviter', `${access.actor.type}:${access.actor.id}`);
  await deps.rateLimiter.consume('invitationOrg', access.organizationId);
}

/** The caller may still manage members, under the lock (the secret key always may). */
async function currentManager(caller: () => Promise<OrgAccess>): Promise<OrgAccess> {
  const access = await caller();
  assertHolds(access, 'members:manage');
  return access;
}

/** A workspace invitation needs workspace:manage there and a workspace role within the caller's workspace permissions. */
async function resolveWorkspaceTarget(
  tx: Db,
  access: OrgAccess,
  workspaceId: string,
  ref: { role?: string | undefined; roleId?: string | undefined },
): Promise<wq.WorkspaceRoleRow> {
  const workspace = await wq.findWorkspace(tx, workspaceId);
  if (!workspace || workspace.organization_id !== access.organizationId) throw new ApiError('not_found', 'No such workspace.');
  const role = await wq.resolveWorkspaceRole(tx, workspaceId, ref);
  const permissions = await effectiveWorkspacePermissions(tx, access, workspaceId);
  if (!permissions.has('workspace:manage'))
    throw new ApiError('forbidden', 'You need workspace:manage in this workspace to invite into it.');
  if (!role.permissions.every((p) => permissions.has(p))) {
    throw new ApiError('forbidden', `You cannot grant the ${role.key} workspace role: it has permissions you do not hold.`);
  }
  return role;
}

/** Queue the invitation email in the change's transaction: it is sent if and only if the change commits. */
async function queueInvitationEmail(tx: Db, row: iq.InvitationRow, acceptUrl: string, now: Date): Promise<void> {
  const org = await tx.selectFrom('organizations').select('name').where('id', '=', row.organization_id).executeTakeFirstOrThrow();
  const inviterName = [row.inviter_first_name, row.inviter_last_name].filter(Boolean).join(' ') || row.inviter_email;
  await enqueueEmail(
    tx,
    invitationEmail({
      to: row.email,
      organizationName: org.name,
      workspaceName: row.workspace_name,
      inviterName,
      acceptUrl,
      expiresAt: row.expires_at,
    }),
    now,
  );
}

async function getInvitation(tx: Db, organizationId: string, id: string, now: Date): Promise<iq.InvitationRow> {
  const row = await iq.findInvitation(tx, organizationId, id, now);
  if (!row) throw new ApiError('not_found', 'No such invitation.');
  return row;
}

export interface NewInvitation {
  email: string;
  role?: string | undefined;
  roleId?: string | undefined;
  workspaceId?: string | undefined;
  workspaceRole?: string | undefined;
  workspaceRoleId?: string | undefined;
  expiryDays: number;
  sendEmail: boolean;
}

/**
 * Invite an email into the organization (and optionally a workspace). Under the organization lock:
 * the roles obey no-escalation, a member of the scope with that verified email is 409
 * `already_member`, stale pending rows are marked expired, and the partial unique index turns a
 * second live pending invitation into 409 `invitation_pending`.
 */
export async function createInvitation(deps: Deps, change: Change, input: NewInvitation): Promise<IssuedInvitation> {
  const { access, now } = change;
  const orgId = access.organizationId;
  if (input.sendEmail) await limitInvitationEmail(deps, access);
  const id = newId('invitation', now);
  const { token, hash, acceptUrl } = issueToken(deps.config);
  const row = await changeUnderLock(
    deps.db,
    change,
    async (tx, caller) => {
      const current = await currentManager(caller);
      const role = await resolveRole(tx, orgId, input);
      assertMayGrant(current, role);
      const workspaceId = input.workspaceId ?? null;
      const wsRole =
        workspaceId === null
          ? null
          : await resolveWorkspaceTarget(tx, current, workspaceId, { role: input.workspaceRole, roleId: input.workspaceRoleId });
      if (await iq.scopeHasMemberWithEmail(tx, orgId, workspaceId, input.email)) {
        throw new ApiError('already_member', `${input.email} is already a member of this ${workspaceId ? 'workspace' : 'organization'}.`);
      }
      await iq.expireStale(tx, orgId, workspaceId, input.email, now);
      const inserted = await iq.insertInvitation(tx, {
        id,
        organization_id: orgId,
        email: input.email,
        workspace_id: workspaceId,
        role_id: role.id,
        role_scope: role.organization_id ?? 'system',
        workspace_role_id: wsRole?.id ?? null,
        workspace_role_scope: wsRole ? (wsRole.workspace_id ?? 'system') : null,
        token_hash: hash,
        status: 'pending',
        expiry_days: input.expiryDays,
        expires_at: new Date(now.getTime() + input.expiryDays * DAY_MS),
        inviter_type: access.actor.type,
        inviter_id: access.actor.id,
        inviter_user_id: access.principal.type === 'user' ? access.principal.userId : null,
        accepted_at: null,
        accepted_by: null,
        revoked_at: null,
        created_at: now,
        updated_at: now,
      });
      if (!inserted) throw new ApiError('invitation_pending', `A pending invitation for ${input.email} into this scope already exists.`);
      await recordChange(tx, change, {
        action: 'invitation.created',
        target: { type: 'invitation', id },
        data: { email: input.email, role: role.key, workspaceId, workspaceRole: wsRole?.key ?? null, emailed: input.sendEmail },
      });
      const created = await getInvitation(tx, orgId, id, now);
      if (input.sendEmail) await queueInvitationEmail(tx, created, acceptUrl, now);
      return created;
      // Shared: invitations only add rows, so many can be made in one organization at once.
    },
    'shared',
  );
  return { row, token, acceptUrl };
}

/**
 * Revoke (discard) an invitation. Idempotent: a revoked one is answered as it is; an accepted one
 * cannot be taken back this way (409 `invitation_accepted`: remove the member instead).
 */
export function revokeInvitation(deps: Deps, change: Change, invitationId: string): Promise<iq.InvitationRow> {
  const { access, now } = change;
  return changeUnderLock(deps.db, change, async (tx, caller) => {
    const row = await iq.lockInvitation(tx, access.organizationId, invitationId);
    if (!row) throw new ApiError('not_found', 'No such invitation.');
    if (row.status === 'accepted') throw new ApiError('invitation_accepted', 'This invitation was accepted; remove the member instead.');
    if (row.status !== 'revoked') {
      await currentManager(caller);
      await tx.updateTable('invitations').set({ status: 'revoked', revoked_at: now, updated_at: now }).where('id', '=', row.id).execute();
      await recordChange(tx, change, {
        action: 'invitation.revoked',
        target: { type: 'invitation', id: row.id },
        data: { email: row.email },
      });
    }
    return getInvitation(tx, access.organizationId, row.id, now);
  });
}

/**
 * Resend: a pending or expired invitation gets a new token (the old one stops working) and a new
 * expiry. The role is checked against the caller again, as for a new invitation.
 */
export async function resendInvitation(
  deps: Deps,
  change: Change,
  invitationId: string,
  options: { sendEmail: boolean; expiryDays?: number | undefined },
): Promise<IssuedInvitation> {
  const { access, now } = change;
  const orgId = access.organizationId;
  if (options.sendEmail) await limitInvitationEmail(deps, access);
  const { token, hash, acceptUrl } = issueToken(deps.config);
  const row = await changeUnderLock(deps.db, change, async (tx, caller) => {
    const found = await iq.lockInvitation(tx, orgId, invitationId);
    if (!found) throw new ApiError('not_found', 'No such invitation.');
    if (found.status === 'accepted') throw new ApiError('invitation_accepted');
    if (found.status === 'revoked') throw new ApiError('invitation_revoked', 'This invitation was revoked; create a new one.');
    const current = await currentManager(caller);
    assertMayGrant(current, await getRole(tx, orgId, found.role_id));
    if (await iq.scopeHasMemberWithEmail(tx, orgId, found.workspace_id, found.email)) {
      throw new ApiError('already_member', `${found.email} is already a member.`);
    }
    await iq.expireStale(tx, orgId, found.workspace_id, found.email, now);
    if (await iq.findLivePending(tx, found, now)) {
      throw new ApiError('invitation_pending', `Another pending invitation for ${found.email} into this scope exists.`);
    }
    const expiryDays = options.expiryDays ?? found.expiry_days;
    await tx
      .updateTable('invitations')
      .set({
        status: 'pending',
        token_hash: hash,
        expiry_days: expiryDays,
        expires_at: new Date(now.getTime() + expiryDays * DAY_MS),
        updated_at: now,
      })
      .where('id', '=', found.id)
      .execute();
    await recordChange(tx, change, {
      action: 'invitation.resent',
      target: { type: 'invitation', id: found.id },
      data: { email: found.email, emailed: options.sendEmail },
    });
    const updated = await getInvitation(tx, orgId, found.id, now);
    if (options.sendEmail) await queueInvitationEmail(tx, updated, acceptUrl, now);
    return updated;
  });
  return { row, token, acceptUrl };
}

/** The invitation a token names, or undefined: looked up by the token's hash only. */
export function findByToken(db: Db, token: string) {
  return iq.findInvitationByTokenHash(db, sha256(token));
}

/**
 * Invitations are re-checked when accepted: a user who invited must still be a member who may
 * manage members and grant the role (they may have been demoted or removed since).
 */
async function assertInviterMayStillGrant(tx: Db, invitation: iq.InvitationRecord, role: RoleRow): Promise<void> {
  if (invitation.inviter_type !== 'user') return;
  const refuse = () => new ApiError('forbidden', 'Whoever invited you can no longer grant this role. Ask for a new invitation.');
  if (invitation.inviter_user_id === null) throw refuse();
  const inviter = await findAccess(tx, invitation.organization_id, invitation.inviter_user_id);
  if (!inviter) throw refuse();
  const held = new Set(inviter.permissions);
  if (!held.has('members:manage') || !role.permissions.every((p) => held.has(p))) throw refuse();
  if (role.id === OWNER_ROLE_ID && inviter.role_key !== 'owner') throw refuse();
}

export interface AcceptResult {
  organizationId: string;
  role: string;
  roleId: string;
  workspaceId: string | null;
  workspaceRole: string | null;
  alreadyMember: boolean;
}

function statusError(status: InvitationStatus): ApiError | undefined {
  if (status === 'revoked') return new ApiError('invitation_revoked');
  if (status === 'expired') return new ApiError('invitation_expired');
  return undefined;
}

/**
 * Accept: in ONE transaction, under the organization lock and the invitation's row lock, make the
 * membership, the optional workspace membership, and mark the invitation accepted; two racing
 * accepts queue on the locks, and the second finds it accepted (the conditional update and the
 * unique (organization, user) membership index are the backstops). The signed-in user must own a
 * verified email equal to the invited one. Nothing here is a refusal of rights to audit, so it does
 * not take the change frame's denial log: a non-member writes nothing into the organization's log.
 */
export function acceptInvitation(
  deps: Deps,
  principal: UserPrincipal,
  found: { id: string; organization_id: string },
  context: { ip: string | null; now: Date },
): Promise<AcceptResult> {
  const { now } = context;
  const orgId = found.organization_id;
  const userId = principal.userId;
  return retryTransaction(() =>
    deps.db.transaction().execute(async (tx) => {
      await lockOrganization(tx, orgId);
      const inv = await iq.lockInvitation(tx, orgId, found.id);
      if (!inv) throw new ApiError('not_found', 'No such invitation.');
      if (inv.status === 'accepted') {
        if (inv.accepted_by !== userId) throw new ApiError('invitation_accepted');
        return currentResult(tx, inv, userId, true);
      }
      const stale = statusError(inv.status === 'pending' && inv.expires_at <= now ? 'expired' : inv.status);
      if (stale) throw stale;
      if (!(await iq.userOwnsVerifiedEmail(tx, userId, inv.email))) {
        throw new ApiError(
          'email_mismatch',
          'This invitation was sent to another email address. Sign in with it, or verify it on your account.',
        );
      }
      const role = await getRole(tx, orgId, inv.role_id);
      await assertInviterMayStillGrant(tx, inv, role);
      const event = (action: string, target: { type: string; id: string }, data: Record<string, unknown>) =>
        recordEvent(tx, { organizationId: orgId, actor: { type: 'user', id: userId }, ip: context.ip, at: now, action, target, data });
      let created = false;
      if (!(await findMemberByUser(tx, orgId, userId))) {
        const membershipId = newId('membership', now);
        await insertMembership(
          tx,
          { id: membershipId, organizationId: orgId, userId, roleId: role.id, roleOrganizationId: role.organization_id },
          now,
        );
        await event('member.added', { type: 'user', id: userId }, { membershipId, role: role.key, roleId: role.id, invitationId: inv.id });
        created = true;
      }
      if (inv.workspace_id !== null && !(await wq.findMemberByUser(tx, inv.workspace_id, userId))) {
        const wsRole = await wq.resolveWorkspaceRole(tx, inv.workspace_id, { roleId: inv.workspace_role_id ?? undefined });
        const membershipId = newId('workspaceMembership', now);
        await wq.insertMember(tx, { id: membershipId, workspaceId: inv.workspace_id, organizationId: orgId, userId, role: wsRole }, now);
        await event(
          'workspace.member_added',
          { type: 'user', id: userId },
          { workspaceId: inv.workspace_id, membershipId, role: wsRole.key, roleId: wsRole.id, invitationId: inv.id },
        );
        created = true;
      }
      const marked = await tx
        .updateTable('invitations')
        .set({ status: 'accepted', accepted_at: now, accepted_by: userId, updated_at: now })
        .where('id', '=', inv.id)
        .where('status', '=', 'pending')
        .returning('id')
        .executeTakeFirst();
      if (!marked) throw new ApiError('invitation_accepted');
      await event('invitation.accepted', { type: 'invitation', id: inv.id }, { email: inv.email, alreadyMember: !created });
      return currentResult(tx, inv, userId, !created);
    }),
  );
}

/** The accept answer from the memberships as they are now (the member's current roles). */
async function currentResult(tx: Db, inv: iq.InvitationRecord, userId: string, alreadyMember: boolean): Promise<AcceptResult> {
  const member = await findMemberByUser(tx, inv.organization_id, userId);
  // A re-accept by someone who left since: they are not a member, and the answer says what they were invited as.
  const role = member ? { key: member.role_key, id: member.role_id } : await getRole(tx, inv.organization_id, inv.role_id);
  const wsMember = inv.workspace_id !== null ? await wq.findMemberByUser(tx, inv.workspace_id, userId) : undefined;
  return {
    organizationId: inv.organization_id,
    role: role.key,
    roleId: role.id,
    workspaceId: inv.workspace_id,
    workspaceRole: wsMember?.role_key ?? null,
    alreadyMember,
  };
}
