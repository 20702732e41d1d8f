/** Tables of organization API tokens (migration 0010). */

export interface ApiTokensTable {
  id: string;
  organization_id: string;
  name: string;
  env: 'live' | 'test';
  /** The public half of the bearer, `gh_<env>_…`: unique, looked up on every use. */
  key: string;
  /** SHA-256 (hex) of the secret half. */
  secret_hash: string;
  last_four: string;
  /** Who made it (null for the secret key, or once that user is deleted). */
  created_by: string | null;
  created_at: Date;
  last_used_at: Date | null;
  expires_at: Date | null;
  revoked_at: Date | null;
}

export interface ApiTokenPermissionsTable {
  token_id: string;
  permission_key: string;
}

export interface ApiTokenTables {
  api_tokens: ApiTokensTable;
  api_token_permissions: ApiTokenPermissionsTable;
}
