import { type Kysely, sql } from 'kysely';

/**
 * Social sign-in: the providers the SaaS team configured (client secret encrypted under the instance
 * key), the sign-ins in flight (state by its SHA-256, PKCE verifier encrypted, nonce, 10 minutes,
 * deleted by the callback that uses them) and the users' connections to provider accounts (one per
 * provider account, one per provider and user; the provider's tokens encrypted).
 */
export const m0013Oauth = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table oauth_providers (
        id text primary key,
        type text not null check (type in ('google', 'github', 'microsoft', 'oidc')),
        name text not null check (length(name) between 1 and 64),
        client_id text not null,
        client_secret_encrypted text not null,
        issuer text,
        tenant text,
        check ((type = 'oidc') = (issuer is not null)),
        check ((type = 'microsoft') = (tenant is not null)),
        scopes jsonb not null,
        enabled boolean not null,
        created_at timestamptz not null,
        updated_at timestamptz not null
      );

      create table oauth_states (
        state_hash text primary key,
        provider_id text not null references oauth_providers (id) on delete cascade,
        -- SHA-256 of the random value in the browser's cookie: the callback must come from this browser.
        browser_hash text not null,
        code_verifier_encrypted text not null,
        nonce text not null,
        redirect_url text not null,
        expires_at timestamptz not null,
        created_at timestamptz not null
      );
      create index oauth_states_expires on oauth_states (expires_at);

      create table social_connections (
        id text primary key,
        user_id text not null references users (id) on delete cascade,
        provider_id text not null references oauth_providers (id) on delete cascade,
        -- The provider's stable id of the account (OIDC sub, GitHub user id).
        subject text not null,
        email text,
        email_verified boolean not null,
        access_token_encrypted text,
        refresh_token_encrypted text,
        id_token_encrypted text,
        token_expires_at timestamptz,
        created_at timestamptz not null,
        last_used_at timestamptz,
        unique (provider_id, subject),
        unique (provider_id, user_id)
      );
      create index social_connections_user on social_connections (user_id, id);
    `.execute(db);
  },
};
