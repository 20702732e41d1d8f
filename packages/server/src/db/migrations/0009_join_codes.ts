import { type Kysely, sql } from 'kysely';

/**
 * Shareable join codes of an organization.
 *
 * Invariants carried by the schema:
 * - only the SHA-256 of a code is stored, unique, so a code is found by its hash and a database
 *   leak reveals no usable code;
 * - the role is a system role or a role of the SAME organization (composite key on the role's scope,
 *   as for memberships), and never `owner` (check constraint);
 * - `uses` stays between 0 and `max_uses` (check constraint: the backstop of the conditional update
 *   that counts a use);
 * - deleting the organization deletes its codes; deleting a custom role deletes the codes granting it
 *   (they could not be honoured any more).
 */
export const m0009JoinCodes = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table join_codes (
        id text primary key,
        organization_id text not null references organizations (id) on delete cascade,
        code_hash text not null,
        role_id text not null,
        role_scope text not null,
        max_uses integer check (max_uses is null or max_uses >= 1),
        uses integer not null default 0,
        expires_at timestamptz,
        revoked_at timestamptz,
        created_by_type text not null check (created_by_type in ('user', 'admin', 'token')),
        created_by_id text not null,
        created_at timestamptz not null,
        constraint join_codes_code_hash_key unique (code_hash),
        constraint join_codes_uses_bounds check (uses >= 0 and (max_uses is null or uses <= max_uses)),
        constraint join_codes_not_owner check (role_id <> 'role_owner'),
        constraint join_codes_role_scope check (role_scope = 'system' or role_scope = organization_id),
        constraint join_codes_role_fkey foreign key (role_scope, role_id) references roles (scope, id) on delete cascade
      );
      create index join_codes_org on join_codes (organization_id, id);
      create index join_codes_role on join_codes (role_id);
    `.execute(db);
  },
};
