import type { Logger } from 'pino';
import { retryTransaction } from '../../db/retry.js';
import type { Db } from '../../db/schema.js';
import { ApiError } from '../../http/errors.js';
import { recordDenial, recordEvent } from '../audit/record.js';
import { currentAccess, type OrgAccess } from './access.js';
import { lockOrganization, type OrganizationLock } from './organizations-queries.js';

/** Who changes an organization, from where, when: what every change needs besides its target. */
export interface Change {
  access: OrgAccess;
  ip: string | null;
  now: Date;
  /** The request path (the frontend operation), which keys the refusal log. */
  operation: string;
  /** Where a refusal that could not be recorded is reported. */
  log?: Pick<Logger, 'warn'>;
}

/**
 * Run a change; when it is refused for lack of rights (an escalation attempt, 403), write that to
 * the audit log after the change's transaction rolled back, then let the refusal through. A
 * transaction PostgreSQL aborts as a deadlock victim or serialization failure is run again.
 */
export async function auditRefusals<T>(db: Db, change: Change, run: () => Promise<T>): Promise<T> {
  try {
    return await retryTransaction(run);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'forbidden') {
      const { access } = change;
      await recordDenial(db, {
        organizationId: access.organizationId,
        actor: access.actor,
        ip: change.ip,
        at: change.now,
        reason: error.message,
        operation: change.operation,
        ...(change.log ? { log: change.log } : {}),
      });
    }
    throw error;
  }
}

/**
 * The frame of every organization change (members, roles, the organization itself, workspaces,
 * and next invitations and join codes): one transaction that locks the organization row first,
 * the order every change takes, so concurrent changes queue instead of deadlocking; `caller()`
 * re-reads the caller's rights under that lock (authorize() ran before it, and a concurrent change
 * may have demoted or removed the caller since), once, when the change asks; a refusal (403) is
 * audited after the rollback, and a deadlock victim is run again ({@link auditRefusals}). A change
 * that only adds rows takes the lock `shared` (see {@link OrganizationLock}), so such changes of one
 * organization do not queue behind each other.
 */
export function changeUnderLock<T>(
  db: Db,
  change: Change,
  run: (tx: Db, caller: () => Promise<OrgAccess>) => Promise<T>,
  lock: OrganizationLock = 'exclusive',
): Promise<T> {
  return auditRefusals(db, change, () =>
    db.transaction().execute(async (tx) => {
      await lockOrganization(tx, change.access.organizationId, lock);
      let current: Promise<OrgAccess> | undefined;
      return run(tx, () => {
        current ??= currentAccess(tx, change.access);
        return current;
      });
    }),
  );
}

/** What a change's audit event says besides who, where and when (those come from the change). */
export interface ChangeEvent {
  /** `<noun>.<verb>`, e.g. `member.role_changed`. */
  action: string;
  target: { type: string; id: string };
  data?: Record<string, unknown>;
}

/** Write the audit event of a change in its transaction: it commits or rolls back with it. */
export function recordChange(tx: Db, change: Change, event: ChangeEvent): Promise<string> {
  const { access, ip, now } = change;
  return recordEvent(tx, { organizationId: access.organizationId, actor: access.actor, ip, at: now, ...event });
}
