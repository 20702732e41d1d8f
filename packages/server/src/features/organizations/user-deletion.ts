import type { Db } from '../../db/schema.js';
import { ApiError } from '../../http/errors.js';
import { type AuditActor, recordEvent } from '../audit/record.js';
import { lockOrganizationsOfUser, organizationsWithSoleOwner } from './members-queries.js';

/**
 * Before a user is deleted (inside the deleting transaction): lock every organization they belong to,
 * in id order, then refuse with 409 `last_owner` when they are the only owner of any; otherwise record
 * a `member.removed` event in each. Their memberships then go with the user (ON DELETE CASCADE).
 */
export async function releaseMembershipsOfDeletedUser(tx: Db, userId: string, who: { actor: AuditActor; ip: string | null; now: Date }) {
  const organizationIds = await lockOrganizationsOfUser(tx, userId);
  if (organizationIds.length === 0) return;
  const soleOwner = await organizationsWithSoleOwner(tx, userId);
  if (soleOwner.length > 0) {
    throw new ApiError(
      'last_owner',
      'This user is the only owner of an organization. Make someone else an owner, or delete the organization, first.',
      { organizationIds: soleOwner },
    );
  }
  for (const organizationId of organizationIds) {
    await recordEvent(tx, {
      organizationId,
      action: 'member.removed',
      actor: who.actor,
      target: { type: 'user', id: userId },
      ip: who.ip,
      data: { reason: 'user_deleted' },
      at: who.now,
    });
  }
}
