import { type Kysely, sql } from 'kysely';

/**
 * Organization API tokens. A token belongs to its organization (deleted with it), not to the member
 * who made it: `created_by` is only a record, cleared when that user is deleted.
 *
 * Invariants carried by the schema:
 * - the key is unique and its prefix names the token's env (`gh_live_…` for live), so the label a
 *   verify answers cannot disagree with the key a leak scanner sees;
 * - only the secret's SHA-256 is stored;
 * - a token's permissions are rows pointing at the catalog, like a role's: an unknown permission
 *   cannot be stored, and a permission deleted from the catalog is taken from every token (never
 *   left dangling, never blocking the delete: a token losing a right is the safe direction).
 */
export const m0010ApiTokens = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table api_tokens (
        id text primary key,
        organization_id text not null references organizations (id) on delete cascade,
        name text not null,
        env text not null check (env in ('live', 'test')),
        key text not null,
        secret_hash text not null check (secret_hash ~ '^[0-9a-f]{64}$'),
        last_four text not null,
        created_by text references users (id) on delete set null,
        created_at timestamptz not null,
        last_used_at timestamptz,
        expires_at timestamptz,
        revoked_at timestamptz,
        constraint api_tokens_key_env check (key ~ ('^gh_' || env || '_[0-9a-z]+$'))
      );
      create unique index api_tokens_key on api_tokens (key);
      create unique index api_tokens_org_id on api_tokens (organization_id, id);

      create table api_token_permissions (
        token_id text not null references api_tokens (id) on delete cascade,
        permission_key text not null references permissions (key) on delete cascade,
        primary key (token_id, permission_key)
      );
      create index api_token_permissions_permission on api_token_permissions (permission_key);
    `.execute(db);
  },
};
