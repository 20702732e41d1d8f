import { type Kysely, sql } from 'kysely';

/** The email outbox and JWT signing keys. */
export const m0004Email = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table outbox_messages (
        id text primary key,
        to_address text not null,
        subject text not null,
        -- The body holds codes and links: cleared after delivery and purged when its secret expires.
        text text,
        kind text not null,
        status text not null default 'pending' check (status in ('pending', 'sent', 'failed')),
        attempts integer not null default 0 check (attempts >= 0),
        next_attempt_at timestamptz not null,
        last_error text,
        secret_expires_at timestamptz,
        created_at timestamptz not null,
        sent_at timestamptz,
        constraint outbox_sent_at check ((status = 'sent') = (sent_at is not null))
      );
      -- What the workers scan: due pending messages, oldest due first.
      create index outbox_messages_due on outbox_messages (next_attempt_at) where status = 'pending';
      -- What the purge scans: bodies still present that carry an expiring secret.
      create index outbox_messages_purge on outbox_messages (secret_expires_at)
        where text is not null and secret_expires_at is not null;
      create index outbox_messages_to on outbox_messages (to_address, id desc);

      create table signing_keys (
        id text primary key,
        alg text not null check (alg in ('EdDSA', 'ES256')),
        public_jwk jsonb not null,
        -- AES-256-GCM under GATEHOUSE_ENCRYPTION_KEY: a database dump alone cannot sign tokens.
        private_key_encrypted text not null,
        status text not null check (status in ('active', 'retired')),
        created_at timestamptz not null,
        retired_at timestamptz,
        constraint signing_keys_retired_at check ((status = 'retired') = (retired_at is not null))
      );
      -- At most one active key, whatever two processes rotating at once do.
      create unique index signing_keys_one_active on signing_keys ((true)) where status = 'active';
    `.execute(db);
  },
};
