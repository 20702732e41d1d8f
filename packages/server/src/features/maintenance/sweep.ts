import { type RawBuilder, sql } from 'kysely';
import type { Database, Db } from '../../db/schema.js';
import type { Deps } from '../../deps.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * How long finished rows are kept, counted from their expiry. Sessions stay 30 days past
 * `expires_at`, so `includeExpired` listings and repeated revokes (idempotent) still
 * find them. Revoking leaves `expires_at` alone, so a revoked session goes 30 days after the
 * expiry it would have reached: at most SESSION_ABSOLUTE_TTL (30 days by default) plus 30 days
 * after sign-in. Codes and reset links stay a day, for support questions; delivered mail 30 days
 * after it was queued, for `gatehouse outbox`.
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
  secondFactorAttempts: number;
  webauthnChallenges: number;
  oauthStates: number;
  sessions: number;
  outbox: number;
}

/**
 * Delete at most {@link BATCH} rows of `table` matching `where`, picked by key. Each `where` is
 * served by an index of migration 0005; the outbox's `status <> 'pending'` is written inline, not
 * bound, so the planner can prove its partial index applies even in a generic plan (statements
 * are prepared on PostgreSQL).
 */
async function deleteBatch<T extends keyof Database & string>(
  db: Db,
  table: T,
  key: keyof Database[T] & string,
  where: RawBuilder<unknown>,
): Promise<number> {
  const result = await sql`
    delete from ${sql.table(table)} where ${sql.ref(key)} in (select ${sql.ref(key)} from ${sql.table(table)} where ${where} limit ${BATCH})
  `.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * Delete what has expired for good, so tables keep the size of the live data: rate-limit counters
 * (rate-limiter-flexible's own timer is off, since every process would run it), abandoned sign-ups
 * (with their argon2 hashes), used or expired reset links, sign-ins that never got their second factor, long-dead sessions and old mail.
 * Safe to run from every process at once: each statement deletes only rows nobody can use.
 */
export async function sweepExpired(db: Db, now: Date): Promise<SweepResult> {
  const before = (ms: number) => new Date(now.getTime() - ms);
  return {
    rateLimits: await deleteBatch(db, 'rate_limits', 'key', sql`expire < ${now.getTime()}`),
    verifications: await deleteBatch(db, 'email_verifications', 'id', sql`expires_at < ${before(RETENTION.verificationsMs)}`),
    resets: await deleteBatch(db, 'password_resets', 'token_hash', sql`expires_at < ${before(RETENTION.resetsMs)}`),
    secondFactorAttempts: await deleteBatch(db, 'second_factor_attempts', 'id', sql`expires_at < ${before(RETENTION.verificationsMs)}`),
    // A challenge is worth nothing once expired (5 minutes): no retention.
    webauthnChallenges: await deleteBatch(db, 'webauthn_challenges', 'challenge_hash', sql`expires_at < ${now}`),
    // A social sign-in's state is worth nothing once expired (10 minutes): no retention.
    oauthStates: await deleteBatch(db, 'oauth_states', 'state_hash', sql`expires_at < ${now}`),
    sessions: await deleteBatch(db, 'sessions', 'id', sql`expires_at < ${before(RETENTION.sessionsMs)}`),
    outbox: await deleteBatch(db, 'outbox_messages', 'id', sql`status <> 'pending' and created_at < ${before(RETENTION.outboxMs)}`),
  };
}

/** How often each process sweeps: this long after the previous sweep ended. */
const SWEEP_EVERY_MS = 60_000;

export interface SweeperOptions {
  everyMs?: number;
  /** What one round runs (tests put a sweep they control here). */
  sweep?: (db: Db, now: Date) => Promise<SweepResult>;
}

/**
 * Run {@link sweepExpired} periodically in this process. Each round is scheduled when the previous
 * one has ended, so a slow sweep never overlaps the next. A failed sweep is logged and retried at
 * the next round; `stop()` waits for the sweep in progress, so the database can close after it.
 */
export function startSweeper(deps: Pick<Deps, 'db' | 'clock' | 'log'>, options: SweeperOptions = {}): { stop(): Promise<void> } {
  const { everyMs = SWEEP_EVERY_MS, sweep = sweepExpired } = options;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const schedule = () => {
    timer = setTimeout(round, everyMs);
    // The sweeper alone never keeps a process alive.
    timer.unref();
  };
  const round = () => {
    running = sweep(deps.db, deps.clock.now())
      .then(
        (result) => {
          const total = Object.values(result).reduce((a, b) => a + b, 0);
          if (total > 0) deps.log.info({ swept: result }, 'deleted expired rows');
        },
        (error: unknown) => deps.log.warn({ err: error }, 'sweeping expired rows failed; retrying next round'),
      )
      .then(() => {
        if (!stopped) schedule();
      });
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
