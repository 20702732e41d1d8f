import { type Kysely, sql } from 'kysely';

/** Sessions, email codes (sign-up and added emails), password resets, and the rate-limit counters. */
export const m0002Auth = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table sessions (
        id text primary key,
        user_id text not null references users (id) on delete cascade,
        -- SHA-256 (hex) of the token's secret: a database leak reveals no usable session.
        secret_hash text not null,
        ip text,
        user_agent text,
        -- The organizations work adds the foreign keys and session/set-active.
        active_organization_id text,
        active_workspace_id text,
        created_at timestamptz not null,
        -- Written at most once a minute, so reads stay reads.
        last_active_at timestamptz not null,
        -- Sliding: least(last_active_at + idle ttl, absolute_expires_at), moved with last_active_at.
        expires_at timestamptz not null,
        absolute_expires_at timestamptz not null,
        revoked_at timestamptz,
        -- When the user last proved a password or second factor in this session (the 10-minute rule).
        reauthenticated_at timestamptz,
        check (expires_at <= absolute_expires_at)
      );
      create index sessions_user on sessions (user_id, last_active_at desc, id desc);

      -- A code mailed to prove an email: a pending sign-up (the user is created only once the code is
      -- right) or an address being added to an account (kept out of user_emails until verified, so
      -- nobody can squat an address they do not own).
      create table email_verifications (
        id text primary key,
        purpose text not null check (purpose in ('sign_up', 'add_email')),
        email text not null check (email = lower(btrim(email))),
        user_id text references users (id) on delete cascade,
        password_hash text,
        first_name text,
        last_name text,
        -- HMAC of the 6-digit code; null when a notice was mailed instead (the address has an account).
        code_hash text,
        failed_attempts integer not null default 0 check (failed_attempts >= 0),
        expires_at timestamptz not null,
        consumed_at timestamptz,
        created_at timestamptz not null,
        check ((purpose = 'add_email') = (user_id is not null))
      );
      create index email_verifications_user on email_verifications (user_id) where user_id is not null;

      create table password_resets (
        -- SHA-256 (hex) of the 128-bit token; looked up by hash.
        token_hash text primary key,
        user_id text not null references users (id) on delete cascade,
        email_id text not null references user_emails (id) on delete cascade,
        expires_at timestamptz not null,
        used_at timestamptz,
        created_at timestamptz not null
      );
      create index password_resets_user on password_resets (user_id);

      -- rate-limiter-flexible's PostgreSQL store (the layout it expects), shared by every process.
      create table rate_limits (
        key varchar(255) primary key,
        points integer not null default 0,
        expire bigint
      );
    `.execute(db);
  },
};
