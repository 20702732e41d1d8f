import type { Db } from '../../db/schema.js';
import type { UserPrincipal } from '../../http/context.js';
import { ApiError } from '../../http/errors.js';
import { newId } from '../../security/ids.js';
import { actorOf } from '../audit/record.js';
import { assertHolds } from '../organizations/access.js';
import { type Change, changeUnderLock, recordChange } from '../organizations/change.js';
import { assertMayGrant, type RoleRef } from '../organizations/members.js';
import { addMembershipIfAbsent, findMemberByUser } from '../organizations/members-queries.js';
import { OWNER_ROLE_ID, resolveRole } from '../organizations/roles-queries.js';
import { canonicalJoinCode, joinCodeHash, newJoinCode } from './code.js';
import { joinCodeStatus } from './present.js';
import * as jq from './queries.js';

/** How long a code works when its creator names no expiry. */
export const DEFAULT_JOIN_CODE_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

export interface JoinCodeSpec extends RoleRef {
  maxUses?: number | null | undefined;
  expiresAt?: string | null | undefined;
}

function expiryOf(spec: JoinCodeSpec, now: Date): Date | null {
  if (spec.expiresAt === null) return null;
  if (spec.expiresAt === undefined) return new Date(now.getTime() + DEFAULT_JOIN_CODE_LIFETIME_MS);
  const at = new Date(spec.expiresAt);
  if (at.getTime() <= now.getTime()) {
    throw new ApiError('invalid_request', 'expiresAt must be in the future.', [{ path: 'expiresAt', message: 'must be in the future' }]);
  }
  return at;
}

/**
 * Create a join code. Its role obeys no-escalation (the creator holds every permission of it, as
 * things are under the organization lock) and is never `owner`: a code passed around a chat would
 * hand out the organization itself, so not even the secret key or an owner may make one.
 */
export async function createJoinCode(db: Db, change: Change, spec: JoinCodeSpec): Promise<{ row: jq.JoinCodeRow; code: string }> {
  const { access, now } = change;
  const orgId = access.organizationId;
  const expiresAt = expiryOf(spec, now);
  const id = newId('joinCode', now);
  const code = newJoinCode();
  return changeUnderLock(db, change, async (tx, caller) => {
    const role = await resolveRole(tx, orgId, spec);
    if (role.id === OWNER_ROLE_ID) throw new ApiError('forbidden', 'A join code cannot make anyone an owner.');
    const current = await caller();
    assertHolds(current, 'members:manage');
    assertMayGrant(current, role);
    await jq.insertJoinCode(
      tx,
      {
        id,
        organizationId: orgId,
        codeHash: joinCodeHash(canonicalJoinCode(code) as string),
        role,
        maxUses: spec.maxUses ?? null,
        expiresAt,
        createdBy: access.actor,
      },
      now,
    );
    await recordChange(tx, change, {
      action: 'join_code.created',
      target: { type: 'join_code', id },
      data: { role: role.key, roleId: role.id, maxUses: spec.maxUses ?? null, expiresAt: expiresAt?.toISOString() ?? null },
    });
    return { row: (await jq.findJoinCode(tx, orgId, id)) as jq.JoinCodeRow, code };
  });
}

/** Revoke a join code; idempotent (a second revoke changes and records nothing). 404 for an id not of this organization. */
export async function revokeJoinCode(db: Db, change: Change, id: string): Promise<jq.JoinCodeRow> {
  const { access, now } = change;
  const orgId = access.organizationId;
  return changeUnderLock(db, change, async (tx, caller) => {
    const row = await jq.findJoinCode(tx, orgId, id);
    if (!row) throw new ApiError('not_found', 'No such join code.');
    assertHolds(await caller(), 'members:manage');
    if (!(await jq.markJoinCodeRevoked(tx, id, now))) return row;
    await recordChange(tx, change, { action: 'join_code.revoked', target: { type: 'join_code', id }, data: { uses: row.uses } });
    return (await jq.findJoinCode(tx, orgId, id)) as jq.JoinCodeRow;
  });
}

/** One answer for every code that cannot be used, known or not: nothing to learn by probing. */
function invalidCode(): ApiError {
  return new ApiError('join_code_invalid', 'This join code cannot be used: it is unknown, revoked, expired or used up.');
}

export interface Joined {
  organizationId: string;
  role: string;
  roleId: string;
  alreadyMember: boolean;
}

/**
 * Join an organization with a code, as the signed-in user. The code is checked first (410 for any
 * code that cannot be used), then membership: a member gets their current role back and no use is
 * counted. Otherwise one conditional update counts the use (never past `max_uses`) and the
 * membership is made in the same transaction, under the organization lock like every change.
 */
export async function joinWithCode(db: Db, frame: Omit<Change, 'access'>, principal: UserPrincipal, typed: string): Promise<Joined> {
  const canonical = canonicalJoinCode(typed);
  if (canonical === undefined) throw invalidCode();
  const found = await jq.findJoinCodeByHash(db, joinCodeHash(canonical));
  if (!found) throw invalidCode();
  const orgId = found.organization_id;
  // The joiner is not a member yet: no membership and no permissions; the actor is the joining user.
  const access = {
    organizationId: orgId,
    principal,
    actor: actorOf(principal),
    admin: false,
    membership: null,
    permissions: new Set<string>(),
  };
  const change: Change = { ...frame, access };
  const { now } = change;
  // The organization may have been deleted since the lookup (its codes with it): still a dead code, not a 404.
  // The lock is exclusive although a join only adds a member: the new membership updates the
  // organization's members_count (a trigger), which takes the organization's row anyway.
  return changeUnderLock(db, change, async (tx) => {
    // Read again under the lock: a revoke or the last use may have committed since the lookup.
    const row = await jq.findJoinCode(tx, orgId, found.id);
    if (!row || joinCodeStatus(row, now) !== 'active') throw invalidCode();
    const membershipId = newId('membership', now);
    const membership = { id: membershipId, organizationId: orgId, userId: principal.userId, roleId: row.role_id };
    const roleOrganizationId = row.role_scope === 'system' ? null : row.role_scope;
    if (!(await addMembershipIfAbsent(tx, { ...membership, roleOrganizationId }, now))) {
      // A member already (the insert wrote nothing): answered as such, the code not counted.
      const member = await findMemberByUser(tx, orgId, principal.userId);
      if (!member) throw invalidCode();
      return { organizationId: orgId, role: member.role_key, roleId: member.role_id, alreadyMember: true };
    }
    await recordChange(tx, change, {
      action: 'member.joined',
      target: { type: 'user', id: principal.userId },
      data: { membershipId, joinCodeId: row.id, role: row.role_key, roleId: row.role_id },
    });
    // Counted under the lock, after the status check above; the condition in its WHERE is the last guard.
    if (!(await jq.consumeJoinCode(tx, row.id, now))) throw invalidCode();
    return { organizationId: orgId, role: row.role_key, roleId: row.role_id, alreadyMember: false };
  }).catch((error: unknown) => {
    throw error instanceof ApiError && error.code === 'not_found' ? invalidCode() : error;
  });
}
