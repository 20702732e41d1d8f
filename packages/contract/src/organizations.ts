import { z } from 'zod';
import { Metadata, name, Timestamp } from './common.js';
import { idOf } from './ids.js';
import { PERMISSION_PATTERN } from './permissions.js';
import { ImageUrl, UserSummary } from './users.js';

/** An organization slug: lower-case words of a–z and 0–9 joined by single dashes, 2–64 characters. */
export const Slug = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(
    z
      .string()
      .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { error: 'must be lower-case letters and digits joined by dashes' })
      .min(2)
      .max(64),
  );

/** A role key: starts with a letter, then a–z, 0–9 or `_`, at most 50 characters. */
export const RoleKey = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]{0,49}$/, { error: 'must start with a-z and contain only a-z, 0-9 and _ (at most 50 characters)' });

/** A permission key of the catalog: `resource:action`. */
export const PermissionKey = z.string().regex(PERMISSION_PATTERN, { error: 'must look like resource:action (a-z, 0-9, _ and -)' });

/** A role's permissions as an input: at most 100 distinct catalog keys. */
export const PermissionList = z.array(PermissionKey).max(100);

const organizationFields = {
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  imageUrl: z.string().nullable(),
  membersCount: z.number().int(),
  publicMetadata: z.record(z.string(), z.unknown()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
};

/** An organization as the frontend API shows it (no private metadata). */
export const Organization = z.object(organizationFields).meta({ id: 'Organization' });

/** An organization as the backend API shows it. */
export const BackendOrganization = z
  .object({ ...organizationFields, privateMetadata: z.record(z.string(), z.unknown()) })
  .meta({ id: 'BackendOrganization' });

/** A role: a system role (`organizationId` null, fixed id) or an organization's custom role. */
export const Role = z
  .object({
    id: z.string(),
    key: z.string(),
    name: z.string(),
    permissions: z.array(z.string()).meta({ description: 'Expanded against the current permission catalog' }),
    isSystemRole: z.boolean(),
    organizationId: z.string().nullable(),
  })
  .meta({ id: 'Role' });

/** One entry of the permission catalog. */
export const CatalogPermission = z
  .object({ key: z.string(), description: z.string(), builtIn: z.boolean() })
  .meta({ id: 'CatalogPermission' });

/** A membership of a user in an organization; `role` is the role's key, `permissions` its expanded set. */
export const Membership = z
  .object({
    id: z.string(),
    organizationId: z.string(),
    userId: z.string(),
    role: z.string(),
    roleId: z.string(),
    permissions: z.array(z.string()),
    user: UserSummary,
    createdAt: Timestamp,
  })
  .meta({ id: 'Membership' });

/** A user's membership with its organization and role resolved (backend listings for a user). */
export const UserOrganizationMembership = z
  .object({ ...Membership.shape, organization: BackendOrganization, roleDetails: Role })
  .meta({ id: 'UserOrganizationMembership' });

/** One organization of the signed-in user, with their role in it. */
export const MyOrganization = z
  .object({ organization: Organization, role: z.string(), roleId: z.string(), permissions: z.array(z.string()) })
  .meta({ id: 'MyOrganization' });

/** An audit log event. Events outlive their organization. */
export const AuditEvent = z
  .object({
    id: z.string(),
    organizationId: z.string().nullable(),
    action: z.string().meta({ example: 'member.removed' }),
    actor: z.object({ type: z.enum(['user', 'admin', 'token']), id: z.string() }),
    target: z.object({ type: z.string(), id: z.string() }),
    ip: z.string().nullable(),
    createdAt: Timestamp,
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'AuditEvent' });

/** Name a role by key or by id (exactly one). */
export const roleChoice = {
  role: RoleKey.optional().meta({ description: 'The role key, e.g. `admin`' }),
  roleId: idOf('role').optional(),
};

/** Refinement: at most one of `role` and `roleId`. */
export function oneRole(value: { role?: string | undefined; roleId?: string | undefined }): boolean {
  return !(value.role !== undefined && value.roleId !== undefined);
}

export const oneRoleError = { error: 'give either role or roleId, not both', path: ['role'] };

export const OrganizationParams = z.strictObject({ orgId: idOf('organization') });
export const MembershipParams = z.strictObject({ orgId: idOf('organization'), membershipId: idOf('membership') });
export const RoleParams = z.strictObject({ orgId: idOf('organization'), roleId: idOf('role') });
export const PermissionParams = z.strictObject({ key: z.string().min(1).max(100) });

export const CreateOrganizationBody = z.strictObject({
  name: name(),
  slug: Slug.optional(),
  imageUrl: ImageUrl.optional(),
  createdBy: idOf('user').optional().meta({ description: 'A user who becomes the first owner' }),
  publicMetadata: Metadata.optional(),
  privateMetadata: Metadata.optional(),
});

export const UpdateOrganizationBody = z.strictObject({
  name: name().optional(),
  slug: Slug.optional(),
  imageUrl: ImageUrl.nullable().optional(),
  publicMetadata: Metadata.optional(),
  privateMetadata: Metadata.optional(),
});

export const AddMemberBody = z
  .strictObject({ userId: idOf('user'), ...roleChoice })
  .refine(oneRole, oneRoleError)
  .meta({ description: 'Without `role` or `roleId` the member gets `member`.' });

export const UpdateMemberBody = z
  .strictObject(roleChoice)
  .refine(oneRole, oneRoleError)
  .refine((v) => v.role !== undefined || v.roleId !== undefined, { error: 'give role or roleId', path: ['role'] });

export const CreateRoleBody = z.strictObject({ name: name(), key: RoleKey.optional(), permissions: PermissionList });
export const UpdateRoleBody = z.strictObject({ name: name().optional(), permissions: PermissionList.optional() });

export const CreatePermissionBody = z.strictObject({ key: PermissionKey, description: z.string().trim().max(200).default('') });
