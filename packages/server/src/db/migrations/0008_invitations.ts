import { type Kysely, sql } from 'kysely';

/**
 * Invitations into an organization, optionally into one of its workspaces.
 *
 * Invariants carried by the schema:
 * - the organization role is a system role or a role of the SAME organization, and the workspace role a
 *   system workspace role or a role of the SAME workspace (composite keys on the roles' scope, as for
 *   memberships); deleting the role deletes the invitations that carry it;
 * - (workspace_id, organization_id) points at the workspace, so the workspace is the organization's,
 *   and deleting the workspace (or the organization) deletes its invitations;
 * - a workspace role exactly when there is a workspace;
 * - at most one live pending invitation per (organization, workspace or none, email): a partial
 *   unique index on pending rows; stale pending rows are marked `expired` before an insert;
 * - only the SHA-256 of the token is stored, unique, so a token names one invitation.
 */
export const m0008Invitations = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table invitations (
        id text primary key,
        organization_id text not null references organizations (id) on delete cascade,
        email text not null check (email = lower(email)),
        workspace_id text,
        scope text generated always as (coalesce(workspace_id, 'organization')) stored,
        role_id text not null,
        role_scope text not null,
        workspace_role_id text,
        workspace_role_scope text,
        token_hash text not null,
        status text not null check (status in ('pending', 'accepted', 'revoked', 'expired')),
        expiry_days integer not null check (expiry_days between 1 and 30),
        expires_at timestamptz not null,
        inviter_type text not null check (inviter_type in ('user', 'admin', 'token')),
        inviter_id text not null,
        inviter_user_id text references users (id) on delete set null,
        accepted_at timestamptz,
        accepted_by text references users (id) on delete set null,
        revoked_at timestamptz,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        constraint invitations_token_hash_key unique (token_hash),
        constraint invitations_role_scope check (role_scope = 'system' or role_scope = organization_id),
        constraint invitations_role_fkey foreign key (role_scope, role_id) references roles (scope, id) on delete cascade,
        constraint invitations_workspace_fkey foreign key (workspace_id, organization_id)
          references workspaces (id, organization_id) on delete cascade,
        constraint invitations_workspace_role_pair check ((workspace_id is null) = (workspace_role_id is null)),
        constraint invitations_workspace_role_scope check (
          workspace_role_id is null or workspace_role_scope = 'system' or workspace_role_scope = workspace_id
        ),
        constraint invitations_workspace_role_fkey foreign key (workspace_role_scope, workspace_role_id)
          references workspace_roles (scope, id) on delete cascade,
        constraint invitations_accepted check ((status = 'accepted') = (accepted_at is not null)),
        constraint invitations_revoked check ((status = 'revoked') = (revoked_at is not null))
      );
      create unique index invitations_live_pending on invitations (organization_id, scope, email) where status = 'pending';
      create index invitations_org on invitations (organization_id, id);
      create index invitations_workspace on invitations (workspace_id) where workspace_id is not null;
      create index invitations_inviter_user on invitations (inviter_user_id) where inviter_user_id is not null;
      create index invitations_accepted_by on invitations (accepted_by) where accepted_by is not null;
    `.execute(db);
  },
};
