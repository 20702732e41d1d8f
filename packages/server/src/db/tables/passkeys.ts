import type { ColumnType } from 'kysely';

/** A JSON array of strings: read as an array, written as its JSON text. */
type JsonStrings = ColumnType<string[], string, string>;

export interface PasskeysTable {
  /** `psk_…` */
  id: string;
  user_id: string;
  /** base64url of the WebAuthn credential id. */
  credential_id: string;
  /** base64url of the COSE public key. */
  public_key: string;
  /** bigint in SQL, read as a number (counters stay far below 2^53). */
  sign_count: number;
  transports: JsonStrings;
  device_type: 'singleDevice' | 'multiDevice';
  backed_up: boolean;
  name: string;
  created_at: Date;
  last_used_at: Date | null;
}

export interface WebauthnChallengesTable {
  /** SHA-256 (hex) of the base64url challenge. */
  challenge_hash: string;
  purpose: 'registration' | 'authentication';
  user_id: string | null;
  expires_at: Date;
  created_at: Date;
}

export interface PasskeyTables {
  passkeys: PasskeysTable;
  webauthn_challenges: WebauthnChallengesTable;
}
