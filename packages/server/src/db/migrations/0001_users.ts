import { type Kysely, sql } from 'kysely';

/** Users, their emails and phones, and admin secret keys. */
export const m0001Users = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table users (
        id text primary key,
        first_name text,
        last_name text,
        username text,
        image_url text,
        password_hash text,
        public_metadata jsonb not null default '{}',
        private_metadata jsonb not null default '{}',
        created_at timestamptz not null,
        updated_at timestamptz not null,
        constraint users_metadata_size check (
          octet_length(public_metadata::text) <= 16384 and octet_length(private_metadata::text) <= 16384
        )
      );
      create unique index users_username_key on users (username) where username is not null;
      create index users_created on users (id desc);

      create table user_emails (
        id text primary key,
        user_id text not null references users (id) on delete cascade,
        email text not null check (email = lower(btrim(email))),
        verified boolean not null default false,
        is_primary boolean not null default false,
        created_at timestamptz not null
      );
      -- Unique across the instance; at most one primary per user.
      create unique index user_emails_email_key on user_emails (email);
      create unique index user_emails_one_primary on user_emails (user_id) where is_primary;
      create index user_emails_user on user_emails (user_id);

      create table user_phones (
        id text primary key,
        user_id text not null references users (id) on delete cascade,
        phone text not null,
        verified boolean not null default false,
        is_primary boolean not null default false,
        created_at timestamptz not null
      );
      create unique index user_phones_phone_key on user_phones (phone);
      create unique index user_phones_one_primary on user_phones (user_id) where is_primary;
      create index user_phones_user on user_phones (user_id);

      create table secret_keys (
        id text primary key,
        name text not null,
        env text not null check (env in ('live', 'test')),
        secret_hash text not null unique,
        last_four text not null,
        created_at timestamptz not null,
        last_used_at timestamptz,
        revoked_at timestamptz
      );
    `.execute(db);
  },
};
