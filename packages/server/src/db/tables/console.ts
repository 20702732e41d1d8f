/** Tables of the admin console (migration 0014). */

export interface ConsoleSessionsTable {
  id: string;
  /** SHA-256 (hex) of the cookie's token. */
  token_hash: string;
  /** The CSRF proof every console API call must send in a header. */
  csrf_token: string;
  /** The secret key's id, or `env` for GATEHOUSE_SECRET_KEY. */
  key_id: string;
  /** SHA-256 (hex) of the secret key, to check on every request that it is still valid. */
  key_hash: string;
  created_at: Date;
  last_seen_at: Date;
  /** The absolute end; the idle end is `last_seen_at` plus the idle timeout. */
  expires_at: Date;
}

export interface ConsoleTables {
  console_sessions: ConsoleSessionsTable;
}
