import { type Kysely, sql } from 'kysely';

/**
 * Facts about the instance. The first is the fingerprint of the encryption key the database was
 * set up with, so a start with another key is refused instead of failing later on every secret.
 */
export const m0007Settings = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table settings (
        name text primary key,
        value text not null,
        created_at timestamptz not null default now()
      );
    `.execute(db);
  },
};
