import type { Generated } from 'kysely';

/** Tables of join codes (migration 0009). */

export interface JoinCodesTable {
  id: string;
  organization_id: string;
  /** SHA-256 (hex) of the normalized code: the code itself is never stored. */
  code_hash: string;
  role_id: string;
  /** 'system' for a system role, else the organization id (checked and used by the role foreign key). */
  role_scope: string;
  /** Null: unlimited. */
  max_uses: number | null;
  uses: Generated<number>;
  expires_at: Date | null;
  revoked_at: Date | null;
  created_by_type: 'user' | 'admin' | 'token';
  created_by_id: string;
  created_at: Date;
}

export interface JoinCodeTables {
  join_codes: JoinCodesTable;
}
