import { type Kysely, sql } from 'kysely';

/**
 * Sessions of the admin console (/console): a secret key exchanged for a cookie. The cookie's token
 * is stored by its SHA-256 only; the CSRF proof is stored as is (it is worthless without the cookie,
 * and the console reloads it from here). `key_hash` is the SHA-256 of the secret key that opened the
 * session, so every request can check that key is still valid: revoking it (or changing
 * GATEHOUSE_SECRET_KEY) ends its console sessions at once.
 *
 * Also the audit log's filters by action and by actor (the console's audit page): each keyset
 * page stays an index range on a large organization.
 */
export const m0014ConsoleSessions = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table console_sessions (
        id text primary key,
        token_hash text not null unique,
        csrf_token text not null,
        -- The secret key's id, or 'env' for GATEHOUSE_SECRET_KEY.
        key_id text not null,
        key_hash text not null,
        created_at timestamptz not null,
        last_seen_at timestamptz not null,
        expires_at timestamptz not null
      );
      create index console_sessions_expires on console_sessions (expires_at);
      create index console_sessions_key on console_sessions (key_hash);

      create index audit_events_org_action on audit_events (organization_id, action, id desc);
      create index audit_events_org_actor on audit_events (organization_id, actor_id, id desc);
    `.execute(db);
  },
};
