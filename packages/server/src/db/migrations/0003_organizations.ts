import { type Kysely, sql } from 'kysely';

/**
 * Organizations, the permission catalog, roles, memberships, the audit log.
 *
 * Invariants carried by the schema rather than by application code:
 * - a role's permissions are rows pointing at the catalog, so an unknown permission cannot be stored,
 *   and a permission some role uses cannot be deleted;
 * - a membership's role is a system role or a role of the SAME organization (composite foreign key on
 *   the role's scope);
 * - one membership per (organization, user); `members_count` is kept by a trigger, so cascades
 *   (a deleted user) keep it right too;
 * - audit events have no foreign key to their organization: they outlive it.
 */
export const m0003Organizations = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table permissions (
        key text primary key check (key ~ '^[a-z][a-z0-9_-]{0,47}:[a-z][a-z0-9_-]{0,47}$'),
        description text not null default '',
        built_in boolean not null default false,
        created_at timestamptz not null default now()
      );
      insert into permissions (key, description, built_in) values
        ('org:view', 'See the organization', true),
        ('org:manage', 'Rename the organization, change its settings and API tokens', true),
        ('org:delete', 'Delete the organization', true),
        ('members:view', 'List members', true),
        ('members:manage', 'Invite, remove and change the role of members', true),
        ('roles:manage', 'Create, edit and delete custom roles', true),
        ('workspaces:view', 'See every workspace of the organization', true),
        ('workspaces:manage', 'Create, edit and delete workspaces and manage their members', true),
        ('audit:view', 'Read the audit log', true);

      create table organizations (
        id text primary key,
        name text not null,
        slug text not null,
        image_url text,
        members_count integer not null default 0 check (members_count >= 0),
        public_metadata jsonb not null default '{}',
        private_metadata jsonb not null default '{}',
        created_at timestamptz not null,
        updated_at timestamptz not null,
        constraint organizations_metadata_size check (
          octet_length(public_metadata::text) <= 16384 and octet_length(private_metadata::text) <= 16384
        )
      );
      create unique index organizations_slug_key on organizations (slug);
      create index organizations_name on organizations (lower(name));

      -- System roles have no organization; their scope is 'system'. 'grants' says how a role expands:
      -- 'all' / 'all_but_org_delete' against the live catalog, or 'listed' (rows of role_permissions).
      create table roles (
        id text primary key,
        organization_id text references organizations (id) on delete cascade,
        scope text generated always as (coalesce(organization_id, 'system')) stored,
        key text not null check (key ~ '^[a-z][a-z0-9_]{0,49}$'),
        name text not null,
        grants text not null default 'listed' check (grants in ('all', 'all_but_org_delete', 'listed')),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint roles_scope_id_key unique (scope, id),
        constraint roles_scope_key_key unique (scope, key),
        -- Custom roles never take a system key, and only system roles expand against the catalog.
        constraint roles_custom_keys check (organization_id is null or (key not in ('owner', 'admin', 'member') and grants = 'listed'))
      );
      create unique index roles_scope_name_key on roles (scope, lower(name));

      create table role_permissions (
        role_id text not null references roles (id) on delete cascade,
        permission_key text not null references permissions (key),
        primary key (role_id, permission_key)
      );
      create index role_permissions_permission on role_permissions (permission_key);

      insert into roles (id, organization_id, key, name, grants) values
        ('role_owner', null, 'owner', 'Owner', 'all'),
        ('role_admin', null, 'admin', 'Admin', 'all_but_org_delete'),
        ('role_member', null, 'member', 'Member', 'listed');
      insert into role_permissions (role_id, permission_key) values
        ('role_member', 'org:view'), ('role_member', 'members:view'), ('role_member', 'workspaces:view');

      -- Every role's expanded permission set, against the current catalog.
      create view role_grants as
        select r.id as role_id, p.key as permission_key
          from roles r join permissions p on r.grants = 'all' or (r.grants = 'all_but_org_delete' and p.key <> 'org:delete')
        union all
        select rp.role_id, rp.permission_key from role_permissions rp;

      create table memberships (
        id text primary key,
        organization_id text not null references organizations (id) on delete cascade,
        user_id text not null references users (id) on delete cascade,
        role_id text not null,
        role_scope text not null,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        constraint memberships_org_user_key unique (organization_id, user_id),
        constraint memberships_role_scope check (role_scope = 'system' or role_scope = organization_id),
        constraint memberships_role_fkey foreign key (role_scope, role_id) references roles (scope, id)
      );
      create unique index memberships_org_id on memberships (organization_id, id);
      create index memberships_org_role on memberships (organization_id, role_id);
      create index memberships_user on memberships (user_id, id);
      create index memberships_role on memberships (role_id);

      -- Statement-level, with transition tables: one UPDATE per organization per statement, so a bulk
      -- insert or a cascade (a deleted user) costs one row update, not one per membership.
      create function memberships_count_insert() returns trigger language plpgsql as $$
      begin
        update organizations o set members_count = o.members_count + d.n
          from (select organization_id, count(*) as n from inserted group by organization_id) d
          where o.id = d.organization_id;
        return null;
      end $$;
      create function memberships_count_delete() returns trigger language plpgsql as $$
      begin
        update organizations o set members_count = o.members_count - d.n
          from (select organization_id, count(*) as n from deleted group by organization_id) d
          where o.id = d.organization_id;
        return null;
      end $$;
      create trigger memberships_count_insert after insert on memberships
        referencing new table as inserted for each statement execute function memberships_count_insert();
      create trigger memberships_count_delete after delete on memberships
        referencing old table as deleted for each statement execute function memberships_count_delete();

      create table audit_events (
        id text primary key,
        organization_id text,
        action text not null,
        actor_type text not null check (actor_type in ('user', 'admin', 'token')),
        actor_id text not null,
        target_type text not null,
        target_id text not null,
        ip text,
        data jsonb not null default '{}',
        created_at timestamptz not null
      );
      create index audit_events_org on audit_events (organization_id, id desc);
    `.execute(db);

    // The sessions table comes from 0002 (the sessions work); a deleted organization stops being
    // any session's active organization.
    await sql`
      alter table sessions add constraint sessions_active_organization_fkey
        foreign key (active_organization_id) references organizations (id) on delete set null;
      create index sessions_active_organization on sessions (active_organization_id);
    `.execute(db);
  },
};
