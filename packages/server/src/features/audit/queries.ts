import type { Selectable } from 'kysely';
import type { Db } from '../../db/schema.js';
import type { AuditEventsTable } from '../../db/tables/organizations.js';

export type AuditEventRow = Selectable<AuditEventsTable>;

/** One keyset page (limit + 1 rows) of an organization's events, newest first. */
export function listAuditEvents(db: Db, organizationId: string, filter: { before?: string | undefined; limit: number }) {
  let query = db
    .selectFrom('audit_events')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .orderBy('id', 'desc')
    .limit(filter.limit + 1);
  if (filter.before) query = query.where('id', '<', filter.before);
  return query.execute();
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
