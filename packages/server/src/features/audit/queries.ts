import type { Selectable } from 'kysely';
import type { Db } from '../../db/schema.js';
import type { AuditEventsTable } from '../../db/tables/organizations.js';

export type AuditEventRow = Selectable<AuditEventsTable>;

/** One keyset page (limit + 1 rows) of an organization's events, newest first; optionally of one action or actor. */
export function listAuditEvents(
  db: Db,
  organizationId: string,
  filter: { before?: string | undefined; limit: number; action?: string | undefined; actorId?: string | undefined },
) {
  let query = db
    .selectFrom('audit_events')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .orderBy('id', 'desc')
    .limit(filter.limit + 1);
  if (filter.before) query = query.where('id', '<', filter.before);
  if (filter.action) query = query.where('action', '=', filter.action);
  if (filter.actorId) query = query.where('actor_id', '=', filter.actorId);
  return query.execute();
}

/**
 * Whether an organization has a log to read: it exists, or it did (any event names it; every
 * organization's first event is `organization.created`, and events outlive it). An id that never
 * named an organization has neither.
 */
export async function organizationLogExists(db: Db, organizationId: string): Promise<boolean> {
  const row = await db
    .selectNoFrom((eb) =>
      eb
        .or([
          eb.exists(eb.selectFrom('organizations').select('id').where('id', '=', organizationId)),
          eb.exists(eb.selectFrom('audit_events').select('id').where('organization_id', '=', organizationId)),
        ])
        .as('found'),
    )
    .executeTakeFirstOrThrow();
  return Boolean(row.found);
}

/** An allow-list of the event's public fields. */
export function presentAuditEvent(row: AuditEventRow) {
  return {
    id: row.id,
    organizationId: row.organization_id,
    action: row.action,
    actor: { type: row.actor_type, id: row.actor_id },
    target: { type: row.target_type, id: row.target_id },
    ip: row.ip,
    createdAt: row.created_at.toISOString(),
    data: row.data,
  };
}
