import type { ColumnType } from 'kysely';

/** Delivery state of an outbox message. */
export type OutboxStatus = 'pending' | 'sent' | 'failed';

export interface OutboxMessagesTable {
  id: string;
  to_address: string;
  subject: string;
  /** The body; null once delivered or once the secret in it expired (never kept longer than needed). */
  text: string | null;
  /** `verify_email`, `password_reset`, `sign_up_notice`, `invitation`, … */
  kind: string;
  status: OutboxStatus;
  attempts: number;
  /** When a worker may (re)try; also the lease of a message being sent. */
  next_attempt_at: Date;
  last_error: string | null;
  secret_expires_at: Date | null;
  created_at: Date;
  sent_at: Date | null;
}

/** A public JWK as stored (jsonb). */
export type StoredJwk = ColumnType<Record<string, unknown>, string, string>;

export interface SigningKeysTable {
  /** `sig_…`, used as the JWT `kid`. */
  id: string;
  alg: 'EdDSA' | 'ES256';
  public_jwk: StoredJwk;
  /** The private JWK, encrypted with security/encryption.ts (AES-256-GCM). */
  private_key_encrypted: string;
  status: 'active' | 'retired';
  created_at: Date;
  retired_at: Date | null;
  /** Set when a retired key was revoked: out of the JWKS at once (migration 0016). */
  revoked_at: Date | null;
}

/** Tables of the outbox and JWT signing keys (migration 0004). */
export interface EmailTables {
  outbox_messages: OutboxMessagesTable;
  signing_keys: SigningKeysTable;
}
