import type { Context } from 'hono';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { compiledQuery } from '../../db/compiled.js';
import type { Db } from '../../db/schema.js';
import type { AppEnv, Principal } from '../../http/context.js';
import { idFloor, newId } from '../../security/ids.js';

/** Who did it: a user (session), the SaaS team's backend (secret key) or an org API token. */
export interface AuditActor {
  type: 'user' | 'admin' | 'token';
  id: string;
}

/** The audit actor of a principal. */
export function actorOf(principal: Principal): AuditActor {
  switch (principal.type) {
    case 'user':
      return { type: 'user', id: principal.userId };
    case 'token':
      return { type: 'token', id: principal.tokenId };
    case 'admin':
      return { type: 'admin', id: principal.keyId };
  }
}

export interface AuditEventInput {
  /** Null for instance-wide changes (the permission catalog). */
  organizationId: string | null;
  /** `<noun>.<verb>`, e.g. `member.role_changed`. */
  action: string;
  actor: AuditActor;
  target: { type: string; id: string };
  ip: string | null;
  data?: Record<string, unknown>;
  at: Date;
}

/**
 * An audit event about a user's own account (second factors, passkeys, emails): no organization,
 * the user as target, the request's principal and IP. Call it in the change's transaction.
 */
export function recordUserEvent(
  tx: Db,
  c: Context<AppEnv>,
  event: { userId: string; action: string; at: Date; data?: Record<string, unknown> },
): Promise<string> {
  return recordEvent(tx, {
    organizationId: null,
    action: event.action,
    actor: actorOf(c.get('principal') as Principal),
    target: { type: 'user', id: event.userId },
    ip: c.get('ip') ?? null,
    at: event.at,
    ...(event.data ? { data: event.data } : {}),
  });
}

/**
 * Write one audit event. Call it with the transaction handle of the change it records, so the event
 * and the change commit or roll back together.
 */
export async function recordEvent(tx: Db, event: AuditEventInput): Promise<string> {
  const id = newId('event', event.at);
  const { organizationId, action, actor, target, ip, at } = event;
  await insertEvent(tx, id, organizationId, action, actor.type, actor.id, target.type, target.id, ip, JSON.stringify(event.data ?? {}), at);
  return id;
}

/** Built once: every change writes one. */
const insertEvent = compiledQuery(
  (
    tx: Db,
    id: string,
    organizationId: string | null,
    action: string,
    actorType: AuditActor['type'],
    actorId: AuditActor['id'],
    targetType: string,
    targetId: string,
    ip: string | null,
    data: string,
    at: Date,
  ) =>
    tx.insertInto('audit_events').values({
      id,
      organization_id: organizationId,
      action,
      actor_type: actorType,
      actor_id: actorId,
      target_type: targetType,
      target_id: targetId,
      ip,
      data,
      created_at: at,
    }),
);

/** Within this window, repeated refusals of one actor, organization and operation are one event. */
export const DENIAL_WINDOW_MS = 60_000;

/**
 * Record a refused attempt (403) by a member of the organization: probing for more rights than one
 * holds is worth reading in the log. Written outside the refused change's
 * transaction, which rolled back. Non-members get 404 and write nothing into an organization's log.
 *
 * At most one event per (actor, organization, operation) per minute, so a member who repeats a
 * refused call cannot flood the log. The check and the insert run under a transaction-scoped
 * advisory lock on that triple (in the database, so it holds across processes), taken with
 * `pg_try_advisory_xact_lock`: a refusal that finds it held skips, since the holder is recording
 * this same denial right now. Waiting instead would let one member's burst of refused calls park
 * a pool connection each on the lock, starving every other request.
 *
 * Best effort: the log is not worth turning the 403 into a 500, so a database error here is
 * logged (with `log`) and swallowed, and the caller's refusal stands.
 */
export async function recordDenial(
  db: Db,
  denial: {
    organizationId: string;
    actor: AuditActor;
    ip: string | null;
    at: Date;
    reason: string;
    operation: string;
    /** Where a failure to record goes; without it, the failure is dropped (the 403 matters more). */
    log?: Pick<Logger, 'warn'>;
  },
): Promise<void> {
  const record = async (tx: Db) => {
    const key = ['authz.denied', denial.organizationId, denial.actor.type, denial.actor.id, denial.operation].join(' ');
    const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(hashtextextended(${key}, 0)) as locked`.execute(tx);
    if (!rows[0]?.locked) return;
    const since = new Date(denial.at.getTime() - DENIAL_WINDOW_MS);
    const recent = await tx
      .selectFrom('audit_events')
      .select('id')
      .where('organization_id', '=', denial.organizationId)
      // Ids sort by time: the id bound keeps this a short range scan of the (organization_id, id) index.
      .where('id', '>=', idFloor('event', since))
      .where('created_at', '>', since)
      .where('action', '=', 'authz.denied')
      .where('actor_type', '=', denial.actor.type)
      .where('actor_id', '=', denial.actor.id)
      .where(sql<string>`data->>'operation'`, '=', denial.operation)
      .limit(1)
      .executeTakeFirst();
    if (recent) return;
    await recordEvent(tx, {
      organizationId: denial.organizationId,
      action: 'authz.denied',
      actor: denial.actor,
      target: { type: 'organization', id: denial.organizationId },
      ip: denial.ip,
      data: { reason: denial.reason, operation: denial.operation },
      at: denial.at,
    });
  };
  try {
    await (db.isTransaction ? record(db) : db.transaction().execute(record));
  } catch (error) {
    // Inside a caller's transaction, that transaction is now aborted: fine, since it is refusing anyway.
    denial.log?.warn(
      { err: error, organizationId: denial.organizationId, operation: denial.operation },
      'could not record a refused attempt in the audit log',
    );
  }
}
