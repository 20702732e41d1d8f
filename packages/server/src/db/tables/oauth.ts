import type { ColumnType } from 'kysely';

/** A JSON array of strings: read as an array, written as its JSON text. */
type JsonStrings = ColumnType<string[], string, string>;

export interface OauthProvidersTable {
  /** `oap_…` */
  id: string;
  type: 'google' | 'github' | 'microsoft' | 'oidc';
  name: string;
  client_id: string;
  /** Under the instance key, the row id as context. */
  client_secret_encrypted: string;
  /** `oidc` only. */
  issuer: string | null;
  /** `microsoft` only. */
  tenant: string | null;
  scopes: JsonStrings;
  enabled: boolean;
  created_at: Date;
  updated_at: Date;
}

export interface OauthStatesTable {
  /** SHA-256 (hex) of the state sent to the provider. */
  state_hash: string;
  provider_id: string;
  /** SHA-256 (hex) of the browser-binding cookie's value. */
  browser_hash: string;
  /** Under the instance key, the state hash as context. */
  code_verifier_encrypted: string;
  nonce: string;
  redirect_url: string;
  /** The redirect URI sent to the provider, when one of `OAUTH_CALLBACK_URLS`; null for `PUBLIC_URL`'s own. */
  callback_url: string | null;
  expires_at: Date;
  created_at: Date;
}

export interface SocialConnectionsTable {
  /** `soc_…` */
  id: string;
  user_id: string;
  provider_id: string;
  subject: string;
  email: string | null;
  email_verified: boolean;
  access_token_encrypted: string | null;
  refresh_token_encrypted: string | null;
  id_token_encrypted: string | null;
  token_expires_at: Date | null;
  created_at: Date;
  last_used_at: Date | null;
}

export interface OauthTables {
  oauth_providers: OauthProvidersTable;
  oauth_states: OauthStatesTable;
  social_connections: SocialConnectionsTable;
}
