import { type Kysely, sql } from 'kysely';

/**
 * A retired signing key can be revoked (say, its private key leaked): it leaves the JWKS at once
 * and the tokens it signed stop verifying, instead of at the end of its grace period. Only a
 * retired key: the active one must be rotated out first.
 */
export const m0016SigningKeyRevoked = {
  async up(db: Kysely<unknown>) {
    await sql`alter table signing_keys add column revoked_at timestamptz`.execute(db);
    await sql`alter table signing_keys add constraint signing_keys_revoked_retired check (revoked_at is null or status = 'retired')`.execute(
      db,
    );
  },
};
