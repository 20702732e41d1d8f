import { type Kysely, sql } from 'kysely';

/**
 * Passkeys (WebAuthn credentials) and the challenges of their ceremonies. A credential id belongs
 * to one user at most (unique), and is at most 1023 bytes (WebAuthn §5.1: longer ones are refused);
 * the public key is COSE, base64url. Challenges are stored by their SHA-256, live 5 minutes and are
 * deleted by the request that uses them, so each works once, also across processes.
 */
export const m0012Passkeys = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table passkeys (
        id text primary key,
        user_id text not null references users (id) on delete cascade,
        -- base64url of the raw credential id: 1023 bytes are at most 1364 characters.
        credential_id text not null unique check (length(credential_id) between 1 and 1364),
        public_key text not null,
        -- The authenticator's signature counter; 0 for authenticators that keep none.
        sign_count bigint not null default 0 check (sign_count >= 0),
        transports jsonb not null default '[]',
        device_type text not null check (device_type in ('singleDevice', 'multiDevice')),
        backed_up boolean not null,
        name text not null check (length(name) between 1 and 64),
        created_at timestamptz not null,
        last_used_at timestamptz
      );
      create index passkeys_user on passkeys (user_id, id);

      create table webauthn_challenges (
        challenge_hash text primary key,
        purpose text not null check (purpose in ('registration', 'authentication')),
        -- The registering user; null for a sign-in, where nobody is known yet.
        user_id text references users (id) on delete cascade,
        check ((purpose = 'registration') = (user_id is not null)),
        expires_at timestamptz not null,
        created_at timestamptz not null
      );
      create index webauthn_challenges_expires on webauthn_challenges (expires_at);
    `.execute(db);
  },
};
