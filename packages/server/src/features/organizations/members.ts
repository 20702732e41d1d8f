import type { Db } from '../../db/schema.js';
import { ApiError } from '../../http/errors.js';
import { newId } from '../../security/ids.js';
import { assertHolds, holdsAll, isOwner, type OrgAccess } from './access.js';
import { clearActiveOrganization } from './active-organization-queries.js';
import { type Change, changeUnderLock, recordChange } from './change.js';
import * as mq from './members-queries.js';
import { OWNER_ROLE_ID, type RoleRow, resolveRole } from './roles-queries.js';

/** A member named by membership id (backend) or by user id (frontend). */
export type MemberRef = { membershipId: string } | { userId: string };

export interface RoleRef {
  role?: string | undefined;
  roleId?: string | undefined;
}

function findTarget(db: Db, organizationId: string, ref: MemberRef) {
  return 'membershipId' in ref ? mq.findMember(db, organizationId, ref.membershipId) : mq.findMemberByUser(db, organizationId, ref.userId);
}

/**
 * No escalation: the caller must hold every permission of the role it grants, and
 * only an owner makes an owner. The secret key is exempt.
 */
export function assertMayGrant(access: OrgAccess, role: RoleRow): void {
  if (access.admin) return;
  if (role.id === OWNER_ROLE_ID && !isOwner(access)) throw new ApiError('forbidden', 'Only an owner can make someone an owner.');
  if (!holdsAll(access, role.permissions)) {
    throw new ApiError('forbidden', `You cannot grant the ${role.key} role: it has permissions you do not hold.`);
  }
}

/** To change or remove a member, their current role must be within the caller's: only owners touch owners. */
function assertMayTouch(access: OrgAccess, target: mq.MemberRow): void {
  if (access.admin) return;
  if (target.role_id === OWNER_ROLE_ID && !isOwner(access)) throw new ApiError('forbidden', 'Only an owner can change or remove an owner.');
  if (!holdsAll(access, target.permissions)) {
    throw new ApiError('forbidden', 'This member has permissions you do not hold, so you cannot change or remove them.');
  }
}

/**
 * The caller's rights re-checked as they are now, under the organization lock: authorize() ran
 * before the lock, and a concurrent change may have demoted or removed the caller since.
 *
 * Callers run this AFTER the owner count. When two owners demote or remove each other at once, the
 * loser's change would leave no owner, and that is what it is told (409 `last_owner`)
 * rather than the loss of rights the winner just caused. The rights the request was authorized with
 * are checked first, so a caller who never had them still gets 403 (an admin demoting the only owner).
 */
async function assertStillMayManage(caller: () => Promise<OrgAccess>, target: mq.MemberRow, role?: RoleRow): Promise<void> {
  const current = await caller();
  assertHolds(current, 'members:manage');
  assertMayTouch(current, target);
  if (role) assertMayGrant(current, role);
}

/** Last owner: refuse a change that takes an organization from one owner to none. Runs under the organization lock. */
async function assertOwnerRemains(tx: Db, organizationId: string, target: mq.MemberRow): Promise<void> {
  if (target.role_id !== OWNER_ROLE_ID) return;
  if ((await mq.countOwners(tx, organizationId)) <= 1) {
    throw new ApiError('last_owner', 'This is the only owner of the organization. Make someone else an owner first.');
  }
}

/** Add a user as a member (backend add, and later invitations and join codes). */
export async function addMember(db: Db, change: Change, input: { userId: string } & RoleRef): Promise<mq.MemberRow> {
  const { access, now } = change;
  const orgId = access.organizationId;
  const id = newId('membership', now);
  return changeUnderLock(db, change, async (tx, caller) => {
    const role = await resolveRole(tx, orgId, input);
    // The rights to grant the role, as they are under the lock.
    assertMayGrant(await caller(), role);
    const user = await tx.selectFrom('users').select('id').where('id', '=', input.userId).executeTakeFirst();
    if (!user) throw new ApiError('not_found', 'No such user.');
    await mq.insertMembership(
      tx,
      { id, organizationId: orgId, userId: input.userId, roleId: role.id, roleOrganizationId: role.organization_id },
      now,
    );
    await recordChange(tx, change, {
      action: 'member.added',
      target: { type: 'user', id: input.userId },
      data: { membershipId: id, role: role.key, roleId: role.id },
    });
    return mq.getMember(tx, orgId, id);
  });
}

/** Change a member's role: no escalation, and never from one owner to none (under the organization lock). */
export async function changeMemberRole(db: Db, change: Change, ref: MemberRef, roleRef: RoleRef): Promise<mq.MemberRow> {
  const { access, now } = change;
  const orgId = access.organizationId;
  return changeUnderLock(db, change, async (tx, caller) => {
    const target = await findTarget(tx, orgId, ref);
    if (!target) throw new ApiError('not_found', 'No such member.');
    const role = await resolveRole(tx, orgId, roleRef);
    assertMayTouch(access, target);
    assertMayGrant(access, role);
    const changed = role.id !== target.role_id;
    if (changed && role.id !== OWNER_ROLE_ID) await assertOwnerRemains(tx, orgId, target);
    await assertStillMayManage(caller, target, role);
    if (!changed) return target;
    await mq.setMembershipRole(tx, target.id, { id: role.id, organizationId: role.organization_id }, now);
    await recordChange(tx, change, {
      action: 'member.role_changed',
      target: { type: 'user', id: target.user_id },
      data: { membershipId: target.id, from: target.role_key, to: role.key, roleId: role.id },
    });
    return mq.getMember(tx, orgId, target.id);
  });
}

/**
 * Remove a member, or leave (`left`: no permission needed beyond membership). Returns the removed
 * membership, or undefined when there was none (frontend remove is idempotent). The member's
 * sessions stop naming the organization as active in the same transaction.
 */
export async function removeMember(db: Db, change: Change, ref: MemberRef, how: 'removed' | 'left'): Promise<mq.MemberRow | undefined> {
  const { access } = change;
  const orgId = access.organizationId;
  return changeUnderLock(db, change, async (tx, caller) => {
    const target = await findTarget(tx, orgId, ref);
    if (!target) return undefined;
    if (how === 'removed') assertMayTouch(access, target);
    await assertOwnerRemains(tx, orgId, target);
    // Leaving needs no rights; removing someone needs them still (see assertStillMayManage for the order).
    if (how === 'removed') await assertStillMayManage(caller, target);
    await mq.deleteMembership(tx, target.id);
    await clearActiveOrganization(tx, orgId, target.user_id);
    await recordChange(tx, change, {
      action: how === 'left' ? 'member.left' : 'member.removed',
      target: { type: 'user', id: target.user_id },
      data: { membershipId: target.id, role: target.role_key },
    });
    return target;
  });
}
