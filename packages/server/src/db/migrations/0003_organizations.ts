import type { Kysely } from 'kysely';

/** Organizations, the permission catalog, roles, memberships, the audit log. */
export const m0003Organizations = {
  async up(_db: Kysely<unknown>) {},
};
