import { z } from 'zod';
import { name, Timestamp } from './common.js';
import { idOf } from './ids.js';
import { BackendOrganization, oneRole, oneRoleError, RoleKey, roleChoice } from './organizations.js';
import { UserSummary } from './users.js';

/** A workspace inside an organization. */
export const Workspace = z
  .object({
    id: z.string(),
    organizationId: z.string(),
    name: z.string(),
    membersCount: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Workspace' });

/** A membership of a user in a workspace; `role` is the workspace role's key. */
export const WorkspaceMembership = z
  .object({
    id: z.string(),
    workspaceId: z.string(),
    organizationId: z.string(),
    userId: z.string(),
    role: z.string(),
    roleId: z.string(),
    permissions: z.array(z.string()),
    user: UserSummary,
    createdAt: Timestamp,
  })
  .meta({ id: 'WorkspaceMembership' });

export const WorkspaceParams = z.strictObject({ workspaceId: idOf('workspace') });
export const WorkspaceMembershipParams = z.strictObject({ workspaceId: idOf('workspace'), membershipId: idOf('workspaceMembership') });

export const CreateWorkspaceBody = z.strictObject({ name: name() });
export const UpdateWorkspaceBody = z.strictObject({ name: name().optional() });

export const AddWorkspaceMemberBody = z
  .strictObject({ userId: idOf('user'), ...roleChoice })
  .refine(oneRole, oneRoleError)
  .meta({
    description: 'Without `role` or `roleId` the member gets the workspace `member` role. The user must be an organization member.',
  });

export const UpdateWorkspaceMemberBody = z
  .strictObject(roleChoice)
  .refine(oneRole, oneRoleError)
  .refine((v) => v.role !== undefined || v.roleId !== undefined, { error: 'give role or roleId', path: ['role'] });

/** A workspace role as listings for a user resolve it (`organizationId` null for system roles). */
export const WorkspaceRoleDetails = z
  .object({ id: z.string(), key: z.string(), name: z.string(), permissions: z.array(z.string()), isSystemRole: z.boolean() })
  .meta({ id: 'WorkspaceRoleDetails' });

/** A user's workspace membership with its workspace, organization and role resolved (backend). */
export const UserWorkspaceMembership = z
  .object({ ...WorkspaceMembership.shape, workspace: Workspace, organization: BackendOrganization, roleDetails: WorkspaceRoleDetails })
  .meta({ id: 'UserWorkspaceMembership' });

/** One workspace of the signed-in user, with their workspace role. */
export const MyWorkspace = z
  .object({ workspace: Workspace, role: z.string(), roleId: z.string(), permissions: z.array(z.string()) })
  .meta({ id: 'MyWorkspace' });

/** A workspace role: a system one (`workspaceId` null, fixed id) or a custom role of one workspace. */
export const WorkspaceRole = z.object({ ...WorkspaceRoleDetails.shape, workspaceId: z.string().nullable() }).meta({ id: 'WorkspaceRole' });

/** Workspace permissions a workspace role may hold. */
export const WorkspacePermissionList = z.array(z.enum(['workspace:view', 'workspace:manage'])).max(2);

export const WorkspaceRoleParams = z.strictObject({ workspaceId: idOf('workspace'), roleId: idOf('role') });
export const CreateWorkspaceRoleBody = z.strictObject({ name: name(), key: RoleKey.optional(), permissions: WorkspacePermissionList });
export const UpdateWorkspaceRoleBody = z.strictObject({ name: name().optional(), permissions: WorkspacePermissionList.optional() });
