import type { Db } from '../../db/schema.js';

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

/**
 * Queue an email in the outbox, in the caller's transaction, so it is sent if and only if the
 * change that caused it commits (filled in by the email work).
 */
export async function enqueueEmail(_db: Db, _email: OutgoingEmail, _now: Date): Promise<void> {}
