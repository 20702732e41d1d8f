import { type Kysely, sql } from 'kysely';

/**
 * Second factors: TOTP authenticators (secret encrypted under the instance key; at most one active
 * and one being enrolled per user), backup codes (HMACs, single use) and the sign-in attempts that
 * wait for a second factor.
 */
export const m0011Mfa = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table totp_authenticators (
        id text primary key,
        user_id text not null references users (id) on delete cascade,
        secret_encrypted text not null,
        account_name text not null,
        -- Null while enrolling: it counts only once a code from the app proved it.
        verified_at timestamptz,
        -- The last 30-second step accepted: a code of that step or an earlier one is refused (replay).
        last_used_step bigint,
        created_at timestamptz not null
      );
      create unique index totp_authenticators_active on totp_authenticators (user_id) where verified_at is not null;
      create unique index totp_authenticators_enrolling on totp_authenticators (user_id) where verified_at is null;

      create table backup_codes (
        user_id text not null references users (id) on delete cascade,
        code_hash text not null,
        used_at timestamptz,
        created_at timestamptz not null,
        primary key (user_id, code_hash)
      );

      create table second_factor_attempts (
        id text primary key,
        user_id text not null references users (id) on delete cascade,
        failed_attempts integer not null default 0,
        expires_at timestamptz not null,
        consumed_at timestamptz,
        created_at timestamptz not null
      );
      create index second_factor_attempts_expires on second_factor_attempts (expires_at);
    `.execute(db);
  },
};
