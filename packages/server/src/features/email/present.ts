import type { OutboxMessagesTable } from '../../db/tables/email.js';

/** An outbox message, as the backend API and the CLI show it. */
export function presentOutboxMessage(row: OutboxMessagesTable) {
  return {
    id: row.id,
    to: row.to_address,
    subject: row.subject,
    text: row.text,
    kind: row.kind,
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error,
    createdAt: row.created_at.toISOString(),
    sentAt: row.sent_at?.toISOString() ?? null,
  };
}
