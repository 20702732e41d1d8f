import type { ColumnType } from 'kysely';

/** A JSON object column: written as a JSON string, read back as an object. */
export type JsonObject = ColumnType<Record<string, unknown>, string, string>;

export interface UsersTable {
  id: string;
  first_name: string | null;
  last_name: string | null;
  username: string | null;
  image_url: string | null;
  /** argon2id PHC string, or null for users without a password. */
  password_hash: string | null;
  public_metadata: JsonObject;
  private_metadata: JsonObject;
  created_at: Date;
  updated_at: Date;
}

export interface UserEmailsTable {
  id: string;
  user_id: string;
  email: string;
  verified: boolean;
  is_primary: boolean;
  created_at: Date;
}

export interface UserPhonesTable {
  id: string;
  user_id: string;
  phone: string;
  verified: boolean;
  is_primary: boolean;
  created_at: Date;
}

export interface SecretKeysTable {
  id: string;
  name: string;
  env: 'live' | 'test';
  /** SHA-256 (hex) of the secret: a database leak reveals no usable key. */
  secret_hash: string;
  last_four: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface UserTables {
  users: UsersTable;
  user_emails: UserEmailsTable;
  user_phones: UserPhonesTable;
  secret_keys: SecretKeysTable;
}
