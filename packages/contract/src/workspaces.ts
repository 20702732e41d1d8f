import { z } from 'zod';
import { name, Timestamp } from './common.js';
import { idOf } from './ids.js';
import { oneRole, oneRoleError, roleChoice } from './organizations.js';
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
