import type { Kysely } from 'kysely';

/** The email outbox and JWT signing keys. */
export const m0004Email = {
  async up(_db: Kysely<unknown>) {},
};
