import type { Generated } from 'kysely';

export interface TotpAuthenticatorsTable {
  /** `mfa_…` */
  id: string;
  user_id: string;
  /** The base32 secret, encrypted under the instance key (context: the authenticator id). */
  secret_encrypted: string;
  account_name: string;
  verified_at: Date | null;
  last_used_step: number | null;
  created_at: Date;
}

export interface BackupCodesTable {
  user_id: string;
  /** HMAC of the normalized code under the instance key, bound to the user. */
  code_hash: string;
  used_at: Date | null;
  created_at: Date;
}

export interface SecondFactorAttemptsTable {
  /** `att_…` */
  id: string;
  user_id: string;
  failed_attempts: Generated<number>;
  expires_at: Date;
  consumed_at: Date | null;
  created_at: Date;
}

export interface MfaTables {
  totp_authenticators: TotpAuthenticatorsTable;
  backup_codes: BackupCodesTable;
  second_factor_attempts: SecondFactorAttemptsTable;
}
