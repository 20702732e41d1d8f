import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';

/** Rate limits of the auth endpoints (filled in by the sessions work). */
export interface RateLimiter {
  close(): Promise<void>;
}

export async function createRateLimiter(_config: Config, _engine: 'postgres' | 'pglite', _db: Kysely<Database>): Promise<RateLimiter> {
  return { close: async () => {} };
}
