import type { MemberRow, UserMembershipRow } from './members-queries.js';
import type { OrganizationRow } from './organizations-queries.js';
import type { RoleRow } from './roles-queries.js';

/** An organization as the frontend API shows it: an allow-list, so private metadata never leaks. */
export function presentOrganization(row: OrganizationRow) {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    imageUrl: row.image_url,
    membersCount: row.members_count,
    publicMetadata: row.public_metadata,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function presentBackendOrganization(row: OrganizationRow) {
  return { ...presentOrganization(row), privateMetadata: row.private_metadata };
}

export function presentRole(row: RoleRow) {
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    permissions: row.permissions,
    isSystemRole: row.organization_id === null,
    organizationId: row.organization_id,
  };
}

export function presentMembership(row: MemberRow) {
  return {
    id: row.id,
    organizationId: row.organization_id,
    userId: row.user_id,
    role: row.role_key,
    roleId: row.role_id,
    permissions: row.permissions,
    user: { id: row.user_id, email: row.email, firstName: row.first_name, lastName: row.last_name, imageUrl: row.image_url },
    createdAt: row.created_at.toISOString(),
  };
}

function organizationOf(row: UserMembershipRow): OrganizationRow {
  return {
    id: row.organization_id,
    name: row.org_name,
    slug: row.org_slug,
    image_url: row.org_image_url,
    members_count: row.org_members_count,
    public_metadata: row.org_public_metadata,
    private_metadata: row.org_private_metadata,
    created_at: row.org_created_at,
    updated_at: row.org_updated_at,
  };
}

/** A backend membership listing item: the membership plus its organization and role. */
export function presentUserMembership(row: UserMembershipRow) {
  return {
    ...presentMembership(row),
    organization: presentBackendOrganization(organizationOf(row)),
    roleDetails: presentRole({
      id: row.role_id,
      organization_id: row.role_organization_id,
      key: row.role_key,
      name: row.role_name,
      permissions: row.permissions,
    }),
  };
}

/** One of the signed-in user's organizations, with their role. */
export function presentMyOrganization(row: UserMembershipRow) {
  return { organization: presentOrganization(organizationOf(row)), role: row.role_key, roleId: row.role_id, permissions: row.permissions };
}
