import { type Kysely, sql } from 'kysely';

/**
 * Workspaces inside an organization, their roles and memberships.
 *
 * Invariants carried by the schema:
 * - a workspace membership points at the organization membership (composite foreign key on
 *   (organization_id, user_id), ON DELETE CASCADE): a workspace member is always an org member, and
 *   removing someone from the organization removes their workspace memberships in the same statement;
 * - (workspace_id, organization_id) points at the workspace, so a membership's organization is its
 *   workspace's;
 * - a membership's role is a system workspace role or a role of the SAME workspace (composite key on
 *   the role's scope, as for organization roles);
 * - deleting a workspace cascades to its memberships and custom roles.
 */
export const m0006Workspaces = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table workspaces (
        id text primary key,
        organization_id text not null references organizations (id) on delete cascade,
        name text not null,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        constraint workspaces_id_org_key unique (id, organization_id)
      );
      create index workspaces_org on workspaces (organization_id, id);

      create table workspace_roles (
        id text primary key,
        workspace_id text references workspaces (id) on delete cascade,
        scope text generated always as (coalesce(workspace_id, 'system')) stored,
        key text not null check (key ~ '^[a-z][a-z0-9_]{0,49}$'),
        name text not null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint workspace_roles_scope_id_key unique (scope, id),
        constraint workspace_roles_scope_key_key unique (scope, key),
        constraint workspace_roles_custom_keys check (workspace_id is null or key not in ('admin', 'member'))
      );

      create table workspace_role_permissions (
        role_id text not null references workspace_roles (id) on delete cascade,
        permission_key text not null check (permission_key in ('workspace:view', 'workspace:manage')),
        primary key (role_id, permission_key)
      );

      insert into workspace_roles (id, workspace_id, key, name) values
        ('role_ws_admin', null, 'admin', 'Admin'),
        ('role_ws_member', null, 'member', 'Member');
      insert into workspace_role_permissions (role_id, permission_key) values
        ('role_ws_admin', 'workspace:view'), ('role_ws_admin', 'workspace:manage'), ('role_ws_member', 'workspace:view');

      create table workspace_memberships (
        id text primary key,
        workspace_id text not null,
        organization_id text not null,
        user_id text not null,
        role_id text not null,
        role_scope text not null,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        constraint workspace_memberships_ws_user_key unique (workspace_id, user_id),
        constraint workspace_memberships_workspace_fkey foreign key (workspace_id, organization_id)
          references workspaces (id, organization_id) on delete cascade,
        constraint workspace_memberships_org_member_fkey foreign key (organization_id, user_id)
          references memberships (organization_id, user_id) on delete cascade,
        constraint workspace_memberships_role_scope check (role_scope = 'system' or role_scope = workspace_id),
        constraint workspace_memberships_role_fkey foreign key (role_scope, role_id) references workspace_roles (scope, id)
      );
      create index workspace_memberships_ws on workspace_memberships (workspace_id, id);
      create index workspace_memberships_org_user on workspace_memberships (organization_id, user_id);
      create index workspace_memberships_user on workspace_memberships (user_id, id);
      create index workspace_memberships_role on workspace_memberships (role_id);

      -- A removed workspace stops being any session's active workspace.
      alter table sessions add constraint sessions_active_workspace_fkey
        foreign key (active_workspace_id) references workspaces (id) on delete set null;
      create index sessions_active_workspace on sessions (active_workspace_id);
    `.execute(db);
  },
};
