import type { Db } from '../../db/schema.js';
import { ApiError } from '../../http/errors.js';
import { newId } from '../../security/ids.js';
import { assertHolds, holdsAll, type OrgAccess } from './access.js';
import { type Change, changeUnderLock, recordChange } from './change.js';
import * as rq from './roles-queries.js';

/**
 * A role change: under the organization lock, with the caller's rights re-read there. Member role
 * changes take the same lock, so an admin demoted meanwhile cannot still define a role with the
 * rights they just lost, and two edits of one role cannot interleave.
 */
function changeRoles<T>(db: Db, change: Change, run: (tx: Db, current: OrgAccess) => Promise<T>): Promise<T> {
  return changeUnderLock(db, change, async (tx, caller) => {
    const current = await caller();
    assertHolds(current, 'roles:manage');
    return run(tx, current);
  });
}

/**
 * Creating or editing a role is granting its permissions to whoever holds it, so the caller must
 * hold every permission the role has before and after (no escalation).
 */
function assertMayDefine(current: OrgAccess, permissions: readonly string[]): void {
  if (!holdsAll(current, permissions)) throw new ApiError('forbidden', 'A role can only have permissions you hold yourself.');
}

async function getCustomRole(db: Db, organizationId: string, roleId: string): Promise<rq.RoleRow> {
  const role = await rq.getRole(db, organizationId, roleId);
  if (role.organization_id === null) throw new ApiError('conflict', `${role.name} is a system role; it cannot be changed or deleted.`);
  return role;
}

export async function createRole(db: Db, change: Change, input: { name: string; key?: string | undefined; permissions: string[] }) {
  const { access, now } = change;
  const key = input.key ?? rq.roleKeyFrom(input.name);
  rq.assertNotSystemKey(key, input.name);
  await rq.assertKnownPermissions(db, input.permissions);
  const id = newId('role', now);
  return changeRoles(db, change, async (tx, current) => {
    assertMayDefine(current, input.permissions);
    await rq.insertRole(tx, { id, organizationId: access.organizationId, key, name: input.name, permissions: input.permissions }, now);
    await recordChange(tx, change, {
      action: 'role.created',
      target: { type: 'role', id },
      data: { key, name: input.name, permissions: [...new Set(input.permissions)].sort() },
    });
    return rq.getRole(tx, access.organizationId, id);
  });
}

export async function updateRole(
  db: Db,
  change: Change,
  roleId: string,
  input: { name?: string | undefined; permissions?: string[] | undefined },
) {
  const { access, now } = change;
  if (input.name !== undefined) rq.assertNotSystemKey('', input.name);
  if (input.permissions) await rq.assertKnownPermissions(db, input.permissions);
  return changeRoles(db, change, async (tx, current) => {
    const role = await getCustomRole(tx, access.organizationId, roleId);
    assertMayDefine(current, [...role.permissions, ...(input.permissions ?? [])]);
    await rq.updateRole(tx, role.id, input, now);
    const after = await rq.getRole(tx, access.organizationId, role.id);
    await recordChange(tx, change, {
      action: 'role.updated',
      target: { type: 'role', id: role.id },
      data: {
        key: role.key,
        from: { name: role.name, permissions: role.permissions },
        to: { name: after.name, permissions: after.permissions },
      },
    });
    return after;
  });
}

/** Delete a custom role nobody holds (409 otherwise; the memberships' foreign key backs this up). */
export async function deleteRole(db: Db, change: Change, roleId: string): Promise<void> {
  const { access } = change;
  return changeRoles(db, change, async (tx, current) => {
    const role = await getCustomRole(tx, access.organizationId, roleId);
    assertMayDefine(current, role.permissions);
    if (await rq.roleInUse(tx, role.id)) throw new ApiError('conflict', 'Some members hold this role; give them another role first.');
    await rq.deleteRole(tx, role.id);
    await recordChange(tx, change, {
      action: 'role.deleted',
      target: { type: 'role', id: role.id },
      data: { key: role.key, name: role.name },
    });
  });
}
