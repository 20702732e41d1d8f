import { sql } from 'kysely';
import type { Db } from '../../db/schema.js';
import type { OutboxMessagesTable } from '../../db/tables/email.js';
import { newId } from '../../security/ids.js';

/** An email to send after the current transaction commits. */
export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  /** What it is, for listing and purging: `verify_email`, `password_reset`, `sign_up_notice`, … */
  kind: string;
  /** When the secret in it (code, link) stops working; the body is purged then. */
  secretExpiresAt?: Date;
}

/** An outbox row as queries return it. */
export type OutboxMessage = OutboxMessagesTable;

/** How many times delivery is tried before a message is marked `failed`. */
export const MAX_ATTEMPTS = 8;

/**
 * Queue an email in the outbox, in the caller's transaction, so it is sent if and only if the
 * change that caused it commits. Returns the message id.
 */
export async function enqueueEmail(db: Db, email: OutgoingEmail, now: Date): Promise<string> {
  const id = newId('outboxMessage', now);
  await db
    .insertInto('outbox_messages')
    .values({
      id,
      to_address: email.to,
      subject: email.subject,
      text: email.text,
      kind: email.kind,
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      last_error: null,
      secret_expires_at: email.secretExpiresAt ?? null,
      created_at: now,
      sent_at: null,
    })
    .execute();
  return id;
}

/** Outbox messages, newest first, optionally for one address or kind (keyset on the id). */
export function listOutboxMessages(db: Db, filter: { to?: string; kind?: string; after?: string | undefined; limit: number }) {
  let query = db
    .selectFrom('outbox_messages')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(filter.limit + 1);
  if (filter.to) query = query.where('to_address', '=', filter.to);
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  if (filter.after) query = query.where('id', '<', filter.after);
  return query.execute();
}

/**
 * Claim up to `limit` due messages for this worker. `FOR UPDATE SKIP LOCKED` lets several
 * processes drain one outbox without waiting on each other; pushing `next_attempt_at` forward by
 * `leaseMs` in the same transaction is the claim, so the SMTP conversation happens outside any
 * transaction and a crashed worker's messages become due again when the lease ends (nothing lost).
 */
export function claimDueMessages(db: Db, now: Date, limit: number, leaseMs: number): Promise<OutboxMessage[]> {
  return db.transaction().execute(async (tx) => {
    const due = await tx
      .selectFrom('outbox_messages')
      .select('id')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .where('text', 'is not', null)
      .orderBy('next_attempt_at')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
    if (due.length === 0) return [];
    return tx
      .updateTable('outbox_messages')
      .set({ attempts: sql<number>`attempts + 1`, next_attempt_at: new Date(now.getTime() + leaseMs) })
      .where(
        'id',
        'in',
        due.map((m) => m.id),
      )
      .returningAll()
      .execute();
  });
}

/** Delivered: the body is cleared at once, so the code or link no longer sits in the database. */
export function markSent(db: Db, id: string, now: Date) {
  return db
    .updateTable('outbox_messages')
    .set({ status: 'sent', sent_at: now, text: null, last_error: null })
    .where('id', '=', id)
    .execute();
}

/** A failed attempt: retry after `retryAt`, or give up (`failed`) after {@link MAX_ATTEMPTS}. */
export function markAttemptFailed(db: Db, message: Pick<OutboxMessage, 'id' | 'attempts'>, error: string, retryAt: Date) {
  const giveUp = message.attempts >= MAX_ATTEMPTS;
  return db
    .updateTable('outbox_messages')
    .set({
      last_error: error.slice(0, 500),
      next_attempt_at: retryAt,
      ...(giveUp ? { status: 'failed' as const, text: null } : {}),
    })
    .where('id', '=', message.id)
    .where('status', '=', 'pending')
    .execute();
}

/**
 * Clear the bodies whose secret has expired: the code or link in them is useless now and must not
 * linger. A message still pending then is marked `failed`, since sending a dead code helps nobody.
 */
export async function purgeExpiredSecrets(db: Db, now: Date): Promise<number> {
  const rows = await db
    .updateTable('outbox_messages')
    .set({
      text: null,
      status: sql<'pending' | 'sent' | 'failed'>`case when status = 'pending' then 'failed' else status end`,
      last_error: sql<string | null>`case when status = 'pending' then 'The secret in it expired before delivery' else last_error end`,
    })
    .where('text', 'is not', null)
    .where('secret_expires_at', '<=', now)
    .returning('id')
    .execute();
  return rows.length;
}

/** Pending messages queued since `since` and after `afterId` (for the "queued, no SMTP" log line). */
export function listQueuedSince(db: Db, since: Date, afterId: string | undefined, limit: number) {
  let query = db
    .selectFrom('outbox_messages')
    .select(['id', 'to_address', 'subject', 'kind', 'text'])
    .where('status', '=', 'pending')
    .where('created_at', '>=', since)
    .orderBy('id')
    .limit(limit);
  if (afterId) query = query.where('id', '>', afterId);
  return query.execute();
}
