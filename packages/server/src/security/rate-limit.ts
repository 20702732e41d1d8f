import type { Redis } from 'ioredis';
import { CompiledQuery, type Kysely } from 'kysely';
import type { Logger } from 'pino';
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
  /**
   * Codes and notices mailed to one address, by sign-up or by adding it to an account, from any IP
   * and any account: nobody can mail-bomb an address through Gatehouse.
   */
  mailAddress: { points: 5, seconds: 60 * 60 },
  /**
   * Code checks for one address across all its attempts and IPs (a right code gives its point
   * back). With 6-digit codes, 10 a day make guessing a stranger's address hopeless.
   */
  codeAddress: { points: 10, seconds: 24 * 60 * 60 },
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
  /**
   * Second-factor codes per user across sign-in attempts (a right code gives its point back): one
   * who knows the password cannot open attempt after attempt to guess the 6 digits.
   */
  secondFactorUser: { points: 10, seconds: 15 * 60 },
  /** Failed re-authentications per user. */
  reauthUser: { points: 5, seconds: 15 * 60 },
  /** Join-code redemptions per user and per IP, invitation look-ups per IP. */
  joinUser: { points: 20, seconds: 15 * 60 },
  joinIp: { points: 100, seconds: 15 * 60 },
  invitationIp: { points: 100, seconds: 15 * 60 },
  /** Invitation emails sent by one inviter (a user, key or token), and into one organization: nobody spams an address through us. */
  invitationInviter: { points: 50, seconds: 60 * 60 },
  invitationOrg: { points: 200, seconds: 60 * 60 },
  /** Passkey sign-in challenges issued per IP (each is a stored row until it expires). */
  passkeyIp: { points: 100, seconds: 15 * 60 },
  /** Social sign-ins started per IP (each is a stored state until it is used or expires). */
  oauthIp: { points: 100, seconds: 15 * 60 },
  /** Wrong secret keys tried at the console's sign-in, per IP (a right key gives its point back). */
  consoleSignInIp: { points: 10, seconds: 15 * 60 },
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

/** Longest silence from Redis while it owes an answer; a healthy Redis answers in about a millisecond. */
const REDIS_SILENCE_MS = 500;

/**
 * A Redis client that never makes a request wait for Redis: while it is down or reconnecting a
 * command fails at once (no offline queue, no retries of commands whose connection dropped), and a
 * Redis that stops answering has its connection dropped after {@link REDIS_SILENCE_MS}, so only the
 * requests already waiting wait that long. It reconnects in the background, at least every 2 s,
 * and logs once when Redis goes away and once when it is back.
 */
async function connectRedis(url: string, log: Logger | undefined): Promise<Redis> {
  // Loaded only with REDIS_URL: a start without Redis does not pay for the module.
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    socketTimeout: REDIS_SILENCE_MS,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
  });
  let away = false;
  // Without a listener, ioredis prints every failed reconnect to stderr.
  redis.on('error', (error) => {
    if (away) return;
    away = true;
    log?.warn({ err: error }, 'Redis is unreachable: rate limits count in this process until it is back');
  });
  redis.on('ready', () => {
    if (!away) return;
    away = false;
    log?.info('Redis is back: rate limits count in Redis again');
  });
  return redis;
}

/**
 * In memory on PGlite (one process, guaranteed by the data-dir lock); on PostgreSQL in its
 * `rate_limits` table; in Redis when REDIS_URL is set. The limits from {@link parseRateRules}.
 *
 * While Redis is unreachable, each limit counts in this process's memory instead (the insurance
 * limiter), with the same points: sign-in keeps working and stays limited, only per process, so N
 * processes allow up to N times the attempts until Redis is back. A database that is away fails
 * the request anyway (503), so the PostgreSQL store needs no such fallback.
 */
export async function createRateLimiter(
  config: Config,
  engine: 'postgres' | 'pglite',
  db: Kysely<Database>,
  log?: Logger,
): Promise<RateLimiter> {
  const rules = parseRateRules(config.rateLimits);
  const redis = config.redisUrl ? await connectRedis(config.redisUrl, log) : undefined;
  const store = redis ? 'redis' : engine === 'postgres' ? 'postgres' : 'memory';
  const limiters = new Map<RateRuleName, RateLimiterAbstract>();

  function limiter(rule: RateRuleName): RateLimiterAbstract {
    let found = limiters.get(rule);
    if (found) return found;
    const { points, seconds } = rules[rule];
    const options = { keyPrefix: `gatehouse_rl_${rule}`, points, duration: seconds };
    if (redis)
      found = new RateLimiterRedis({
        ...options,
        storeClient: redis,
        // Not connected: straight to the insurance limiter, without trying Redis.
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory(options),
      });
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
