import { type Kysely, sql } from 'kysely';

/**
 * Indexes for the sweep (features/maintenance/sweep.ts): every process runs it each minute, and
 * without these each round scanned five tables whole. Each index matches its sweep predicate
 * exactly; the outbox one is partial on the literal `status <> 'pending'`, as the sweep writes it,
 * so the planner can prove it applies.
 */
export const m0005SweepIndexes = {
  async up(db: Kysely<unknown>) {
    await sql`
      create index sessions_expires on sessions (expires_at);
      create index email_verifications_expires on email_verifications (expires_at);
      create index password_resets_expires on password_resets (expires_at);
      create index rate_limits_expire on rate_limits (expire);
      -- Finished mail only: pending messages are never swept, and the workers use outbox_messages_due.
      create index outbox_messages_done on outbox_messages (created_at) where status <> 'pending';
    `.execute(db);
  },
};
