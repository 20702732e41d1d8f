import { Redis } from 'ioredis';
import { CompiledQuery, type Kysely } from 'kysely';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterPostgres, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { type Config, ConfigError } from '../config.js';
import type { Database } from '../db/schema.js';
import { ApiError } from '../http/errors.js';

/** One limit: at most `points` attempts per `seconds`, per key. */
export interface RateRule {
  points: number;
  seconds: number;
}

/**
 * The limits by name. Sign-in counts failures only (a success gives its point back), so a busy
 * office behind one IP is not locked out by its own successful sign-ins.
 */
export const defaultRateRules = {
  /** Failed sign-ins per account (email). */
  signInAccount: { points: 5, seconds: 15 * 60 },
  /** Failed sign-ins per IP. */
  signInIp: { points: 100, seconds: 15 * 60 },
  /** Sign-ups per IP. */
  signUpIp: { points: 50, seconds: 60 * 60 },
  /** Code checks per verification attempt (the attempt itself dies after 5 wrong codes). */
  verifyAttempt: { points: 10, seconds: 10 * 60 },
  /** Code checks per IP. */
  verifyIp: { points: 100, seconds: 15 * 60 },
  /** Reset requests per email. */
  resetEmail: { points: 5, seconds: 60 * 60 },
  /** Reset requests and completions per IP. */
  resetIp: { points: 30, seconds: 60 * 60 },
  /** Codes mailed to added addresses, per user (so nobody is spammed through us). */
  addEmailUser: { points: 10, seconds: 60 * 60 },
  /** Failed re-authentications per user. */
  reauthUser: { points: 5, seconds: 15 * 60 },
  /** Join-code redemptions per user and per IP, invitation look-ups per IP. */
  joinUser: { points: 20, seconds: 15 * 60 },
  joinIp: { points: 100, seconds: 15 * 60 },
  invitationIp: { points: 100, seconds: 15 * 60 },
} satisfies Record<string, RateRule>;

/** The name of a limit. */
export type RateRuleName = keyof typeof defaultRateRules;

/** Rate limits of sign-in, sign-up, verification, reset and join attempts. */
export interface RateLimiter {
  /** Count one attempt; throws 429 `rate_limited` with `Retry-After` (seconds) once over the limit. */
  consume(rule: RateRuleName, key: string): Promise<void>;
  /** Give one attempt back (a successful sign-in on the IP key). */
  refund(rule: RateRuleName, key: string): Promise<void>;
  /** Forget every attempt of a key (a successful sign-in on the account key). */
  reset(rule: RateRuleName, key: string): Promise<void>;
  /** Which store counts: `memory` (PGlite, one process), `postgres` or `redis` (shared by every process). */
  readonly store: 'memory' | 'postgres' | 'redis';
  close(): Promise<void>;
}

/** Parse `RATE_LIMITS` (`rule=points/seconds,…`) over the defaults. */
export function parseRateRules(raw: string | undefined): Record<RateRuleName, RateRule> {
  const rules: Record<string, RateRule> = { ...defaultRateRules };
  for (const part of (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const match = /^(\w+)=(\d+)\/(\d+)$/.exec(part);
    if (!match || !((match[1] as string) in defaultRateRules) || Number(match[2]) < 1 || Number(match[3]) < 1) {
      throw new ConfigError(
        `RATE_LIMITS must be comma-separated rule=points/seconds with rules ${Object.keys(defaultRateRules).join(', ')}; got "${part}"`,
      );
    }
    rules[match[1] as string] = { points: Number(match[2]), seconds: Number(match[3]) };
  }
  return rules as Record<RateRuleName, RateRule>;
}

/**
 * rate-limiter-flexible's PostgreSQL store talks to a `pg`-like `query({ text, values })`. This
 * adapter runs it through our Kysely pool, so it shares the pool's connections and search_path
 * (the test harness's per-file schema) and the table comes from our migrations.
 */
function kyselyStore(db: Kysely<Database>) {
  return {
    async query(q: { text: string; values?: unknown[] }) {
      const result = await db.executeQuery(CompiledQuery.raw(q.text, q.values ?? []));
      return { rows: result.rows, rowCount: Number(result.numAffectedRows ?? result.rows.length) };
    },
  };
}

function retryAfterSeconds(res: RateLimiterRes): number {
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}

/**
 * In memory on PGlite (one process, guaranteed by the data-dir lock); on PostgreSQL in its
 * `rate_limits` table; in Redis when REDIS_URL is set. The limits from {@link parseRateRules}.
 */
export async function createRateLimiter(config: Config, engine: 'postgres' | 'pglite', db: Kysely<Database>): Promise<RateLimiter> {
  const rules = parseRateRules(config.rateLimits);
  const redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 2 }) : undefined;
  const store = redis ? 'redis' : engine === 'postgres' ? 'postgres' : 'memory';
  const limiters = new Map<RateRuleName, RateLimiterAbstract>();

  function limiter(rule: RateRuleName): RateLimiterAbstract {
    let found = limiters.get(rule);
    if (found) return found;
    const { points, seconds } = rules[rule];
    const options = { keyPrefix: `gatehouse_rl_${rule}`, points, duration: seconds };
    if (redis) found = new RateLimiterRedis({ ...options, storeClient: redis });
    else if (store === 'postgres')
      found = new RateLimiterPostgres({
        ...options,
        storeClient: kyselyStore(db),
        storeType: 'pool',
        tableName: 'rate_limits',
        tableCreated: true,
        clearExpiredByTimeout: false,
      });
    else found = new RateLimiterMemory(options);
    limiters.set(rule, found);
    return found;
  }

  return {
    store,
    async consume(rule, key) {
      try {
        await limiter(rule).consume(key);
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) throw error;
        const seconds = retryAfterSeconds(error);
        throw new ApiError(
          'rate_limited',
          `Too many attempts. Try again in ${seconds} seconds.`,
          { retryAfter: seconds },
          {
            'Retry-After': String(seconds),
          },
        );
      }
    },
    async refund(rule, key) {
      await limiter(rule).reward(key, 1);
    },
    async reset(rule, key) {
      await limiter(rule).delete(key);
    },
    async close() {
      if (redis) await redis.quit().catch(() => redis.disconnect());
    },
  };
}
