import type { Context } from 'hono';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { AfterResponse } from './background.js';
import type { Config } from './config.js';
import type { Database } from './db/schema.js';
import type { SessionPreload } from './features/sessions/lookup.js';
import type { AppEnv, TokenPrincipal, UserPrincipal } from './http/context.js';
import type { RateLimiter } from './security/rate-limit.js';

/** The clock every expiry check reads, so tests move time instead of sleeping. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** What route handlers need, built once at start and passed down explicitly. */
export interface Deps {
  config: Config;
  db: Kysely<Database>;
  engine: 'postgres' | 'pglite';
  clock: Clock;
  log: Logger;
  /** 32-byte AES-256-GCM key for secrets at rest (TOTP secrets, JWT private keys). */
  encryptionKey: Buffer;
  /** Rate limits of sign-in, sign-up, verification, reset and join attempts. */
  rateLimiter: RateLimiter;
  /** Check every answer against the contract's output schema (on in tests). */
  checkOutputs: boolean;
  /**
   * Work that must not show in the answer's timing (what a reset request does for a known address
   * and not for an unknown one): started by the handler, finished after it answers.
   */
  afterResponse: AfterResponse;
  /**
   * Who is calling the frontend API: a session (cookie or bearer) or an org API token, or
   * undefined for an anonymous caller. Throws 401 for a credential that is present but invalid.
   * `preload`: what the operation needs read with the session, in the same query.
   */
  resolvePrincipal(c: Context<AppEnv>, preload?: SessionPreload): Promise<UserPrincipal | TokenPrincipal | undefined>;
}
