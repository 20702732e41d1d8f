import type { ColumnType } from 'kysely';

/** The invitations table (migration 0008). */

export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

export interface InvitationsTable {
  id: string;
  organization_id: string;
  /** Normalized (trimmed, lower-case). */
  email: string;
  workspace_id: string | null;
  /** `coalesce(workspace_id, 'organization')`, generated: the scope of the one-pending-invitation index. */
  scope: ColumnType<string, never, never>;
  role_id: string;
  /** 'system' for a system role, else the organization id. */
  role_scope: string;
  workspace_role_id: string | null;
  workspace_role_scope: string | null;
  /** SHA-256 (hex) of the token: a database leak reveals no usable invitation. */
  token_hash: string;
  /** As stored; a `pending` row past `expires_at` reads as `expired`. */
  status: InvitationStatus;
  expiry_days: number;
  expires_at: Date;
  inviter_type: 'user' | 'admin' | 'token';
  inviter_id: string;
  inviter_user_id: string | null;
  accepted_at: Date | null;
  accepted_by: string | null;
  revoked_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface InvitationTables {
  invitations: InvitationsTable;
}
