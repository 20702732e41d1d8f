import type { Kysely } from 'kysely';

/** Sign-in attempts, sessions, signing keys, the outbox, rate limits. */
export const m0002Auth = {
  async up(_db: Kysely<unknown>) {},
};
