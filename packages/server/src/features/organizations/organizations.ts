import type { Db } from '../../db/schema.js';
import { ApiError } from '../../http/errors.js';
import { newId } from '../../security/ids.js';
import { type AuditActor, recordEvent } from '../audit/record.js';
import { assertHolds } from './access.js';
import { clearActiveOrganization } from './active-organization-queries.js';
import { type Change, changeUnderLock, recordChange } from './change.js';
import * as mq from './members-queries.js';
import * as oq from './organizations-queries.js';
import { OWNER_ROLE_ID } from './roles-queries.js';

/**
 * Create an organization; with `ownerUserId` that user becomes its first owner in the same
 * transaction (frontend create always; backend create with `createdBy`).
 */
export async function createOrganization(
  db: Db,
  input: oq.NewOrganization & { ownerUserId?: string | undefined },
  who: { actor: AuditActor; ip: string | null; now: Date },
): Promise<oq.OrganizationRow> {
  const { now } = who;
  const id = newId('organization', now);
  if (input.ownerUserId) {
    const user = await db.selectFrom('users').select('id').where('id', '=', input.ownerUserId).executeTakeFirst();
    if (!user) throw new ApiError('not_found', 'No such user (createdBy).');
  }
  return db.transaction().execute(async (tx) => {
    await oq.insertOrganization(tx, id, input, now);
    const event = { organizationId: id, actor: who.actor, ip: who.ip, at: now };
    await recordEvent(tx, { ...event, action: 'organization.created', target: { type: 'organization', id }, data: { name: input.name } });
    if (input.ownerUserId) {
      const membershipId = newId('membership', now);
      await mq.insertMembership(
        tx,
        { id: membershipId, organizationId: id, userId: input.ownerUserId, roleId: OWNER_ROLE_ID, roleOrganizationId: null },
        now,
      );
      await recordEvent(tx, {
        ...event,
        action: 'member.added',
        target: { type: 'user', id: input.ownerUserId },
        data: { membershipId, role: 'owner', roleId: OWNER_ROLE_ID },
      });
    }
    return oq.getOrganization(tx, id);
  });
}

export async function updateOrganization(db: Db, change: Change, changes: oq.OrganizationChanges): Promise<oq.OrganizationRow> {
  const { access, now } = change;
  return changeUnderLock(db, change, async (tx, caller) => {
    assertHolds(await caller(), 'org:manage');
    if (!(await oq.updateOrganization(tx, access.organizationId, changes, now))) throw new ApiError('not_found', 'No such organization.');
    await recordChange(tx, change, {
      action: 'organization.updated',
      target: { type: 'organization', id: access.organizationId },
      // Which fields changed, and the new name/slug; metadata values stay out of the log.
      data: {
        fields: Object.keys(changes).filter((k) => changes[k as keyof typeof changes] !== undefined),
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.slug !== undefined ? { slug: changes.slug } : {}),
      },
    });
    return oq.getOrganization(tx, access.organizationId);
  });
}

/**
 * Delete an organization; its memberships and roles cascade, its audit events stay. Sessions that
 * had it active stop naming it (and its workspace) in the same transaction; the foreign key's
 * ON DELETE SET NULL would clear the organization alone.
 */
export async function deleteOrganization(db: Db, change: Change): Promise<void> {
  const { access } = change;
  const orgId = access.organizationId;
  await changeUnderLock(db, change, async (tx, caller) => {
    // Still allowed under the lock: an owner demoted meanwhile no longer holds org:delete.
    assertHolds(await caller(), 'org:delete');
    const org = await oq.getOrganization(tx, orgId);
    await clearActiveOrganization(tx, orgId);
    await oq.deleteOrganization(tx, orgId);
    await recordChange(tx, change, {
      action: 'organization.deleted',
      target: { type: 'organization', id: orgId },
      data: { name: org.name, slug: org.slug, membersCount: org.members_count },
    });
  });
}
