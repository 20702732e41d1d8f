import { sql } from 'kysely';
import type { Db } from '../../db/schema.js';
import type { Deps } from '../../deps.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * How long finished rows are kept. Expired and revoked sessions stay 30 days, so
 * `includeExpired` listings and repeated revokes (idempotent, DESIGN §6) still find them; codes
 * and reset links a day, for support questions; delivered mail 30 days, for `gatehouse outbox`.
 */
export const RETENTION = {
  sessionsMs: 30 * DAY_MS,
  verificationsMs: DAY_MS,
  resetsMs: DAY_MS,
  outboxMs: 30 * DAY_MS,
} as const;

/** Rows deleted per table and sweep: short statements, so a sweep never holds locks for long. */
const BATCH = 1000;

export interface SweepResult {
  rateLimits: number;
  verifications: number;
  resets: number;
  sessions: number;
  outbox: number;
}

/**
 * Delete what has expired for good, so tables keep the size of the live data: rate-limit counters
 * (rate-limiter-flexible's own timer is off, since every process would run it), abandoned sign-ups
 * (with their argon2 hashes), used or expired reset links, long-dead sessions and old mail.
 * Safe to run from every process at once: each statement deletes only rows nobody can use.
 */
export async function sweepExpired(db: Db, now: Date): Promise<SweepResult> {
  const before = (ms: number) => new Date(now.getTime() - ms);
  const rateLimits = await sql`
    delete from rate_limits where key in (select key from rate_limits where expire < ${now.getTime()} limit ${BATCH})
  `.execute(db);
  const verifications = await db
    .deleteFrom('email_verifications')
    .where('id', 'in', (eb) =>
      eb.selectFrom('email_verifications').select('id').where('expires_at', '<', before(RETENTION.verificationsMs)).limit(BATCH),
    )
    .executeTakeFirst();
  const resets = await db
    .deleteFrom('password_resets')
    .where('token_hash', 'in', (eb) =>
      eb.selectFrom('password_resets').select('token_hash').where('expires_at', '<', before(RETENTION.resetsMs)).limit(BATCH),
    )
    .executeTakeFirst();
  const sessions = await db
    .deleteFrom('sessions')
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('sessions')
        .select('id')
        .where(sql<Date>`coalesce(revoked_at, expires_at)`, '<', before(RETENTION.sessionsMs))
        .limit(BATCH),
    )
    .executeTakeFirst();
  const outbox = await db
    .deleteFrom('outbox_messages')
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('outbox_messages')
        .select('id')
        .where('status', '!=', 'pending')
        .where('created_at', '<', before(RETENTION.outboxMs))
        .limit(BATCH),
    )
    .executeTakeFirst();
  return {
    rateLimits: Number(rateLimits.numAffectedRows ?? 0),
    verifications: Number(verifications.numDeletedRows),
    resets: Number(resets.numDeletedRows),
    sessions: Number(sessions.numDeletedRows),
    outbox: Number(outbox.numDeletedRows),
  };
}

/** How often each process sweeps. */
const SWEEP_EVERY_MS = 60_000;

/**
 * Run {@link sweepExpired} periodically in this process. A failed sweep is logged and retried at the
 * next round; `stop()` waits for a running sweep, so the database can close after it.
 */
export function startSweeper(deps: Pick<Deps, 'db' | 'clock' | 'log'>, everyMs = SWEEP_EVERY_MS): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const round = () => {
    running = sweepExpired(deps.db, deps.clock.now()).then(
      (result) => {
        const total = Object.values(result).reduce((a, b) => a + b, 0);
        if (total > 0) deps.log.info({ swept: result }, 'deleted expired rows');
      },
      (error: unknown) => deps.log.warn({ err: error }, 'sweeping expired rows failed; retrying next round'),
    );
  };
  const timer = setInterval(round, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
