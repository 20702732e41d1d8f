/** Tables of sessions, email codes, password resets and rate limits (migration 0002). */

export interface SessionsTable {
  id: string;
  user_id: string;
  /** SHA-256 (hex) of the token's secret. */
  secret_hash: string;
  ip: string | null;
  user_agent: string | null;
  active_organization_id: string | null;
  active_workspace_id: string | null;
  created_at: Date;
  last_active_at: Date;
  /** Sliding expiry, never after `absolute_expires_at`. */
  expires_at: Date;
  absolute_expires_at: Date;
  revoked_at: Date | null;
  reauthenticated_at: Date | null;
}

export interface EmailVerificationsTable {
  /** `att_…` for a sign-up, `eml_…` for an added email (the id it keeps once verified). */
  id: string;
  purpose: 'sign_up' | 'add_email';
  email: string;
  user_id: string | null;
  password_hash: string | null;
  first_name: string | null;
  last_name: string | null;
  /** HMAC-SHA-256 of the code; null when a notice was mailed instead of a code. */
  code_hash: string | null;
  failed_attempts: number;
  expires_at: Date;
  consumed_at: Date | null;
  created_at: Date;
}

export interface PasswordResetsTable {
  token_hash: string;
  user_id: string;
  email_id: string;
  expires_at: Date;
  used_at: Date | null;
  created_at: Date;
}

export interface RateLimitsTable {
  key: string;
  points: number;
  expire: number | null;
}

export interface AuthTables {
  sessions: SessionsTable;
  email_verifications: EmailVerificationsTable;
  password_resets: PasswordResetsTable;
  rate_limits: RateLimitsTable;
}
