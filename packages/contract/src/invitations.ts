import { z } from 'zod';
import { Email, QueryBoolean, Timestamp } from './common.js';
import { idOf } from './ids.js';
import { oneRole, oneRoleError, Role, RoleKey, roleChoice } from './organizations.js';
import { WorkspaceRoleDetails } from './workspaces.js';

/**
 * Where an invitation stands. `expired` is also how a pending invitation past its `expiresAt`
 * reads; `accepted` and `revoked` are kept apart (seed 000 folds them into one soft-deleted state).
 */
export const InvitationStatus = z.enum(['pending', 'accepted', 'revoked', 'expired']).meta({ id: 'InvitationStatus' });

/** Who sent an invitation, when a user did (null when the secret key or an org API token did). */
export const Inviter = z
  .object({ id: z.string(), email: z.string().nullable(), firstName: z.string().nullable(), lastName: z.string().nullable() })
  .meta({ id: 'Inviter' });

/** An invitation into an organization, optionally into one of its workspaces. Never carries its token. */
export const Invitation = z
  .object({
    id: z.string(),
    organizationId: z.string(),
    email: z.string(),
    status: InvitationStatus,
    role: z.string().meta({ description: 'Key of the organization role the invitee gets' }),
    roleId: z.string(),
    workspaceId: z.string().nullable(),
    workspaceRole: z.string().nullable(),
    workspaceRoleId: z.string().nullable(),
    expiresAt: Timestamp,
    createdAt: Timestamp,
    updatedAt: Timestamp,
    acceptedAt: Timestamp.nullable(),
    acceptedBy: z.string().nullable().meta({ description: 'The user who accepted it' }),
    revokedAt: Timestamp.nullable(),
    initialOrganizationRole: Role,
    initialWorkspaceRole: WorkspaceRoleDetails.nullable(),
    workspace: z.object({ id: z.string(), name: z.string() }).nullable(),
    inviter: Inviter.nullable(),
    inviterRoles: z.array(Role).meta({ description: "The inviter's current role in the organization (empty when not a member)" }),
  })
  .meta({ id: 'Invitation' });

/** What create and resend answer: the token and its link, shown this once. */
export const InvitationWithToken = z
  .object({
    invitation: Invitation,
    token: z.string().meta({ description: 'Shown once; only its hash is stored' }),
    acceptUrl: z
      .string()
      .meta({ description: '`INVITATION_URL#token=…`: the token rides in the fragment, so it never reaches access logs' }),
  })
  .meta({ id: 'InvitationWithToken' });

/** Days until an invitation expires: 1–30, default 10. */
export const ExpiryDays = z.number().int().min(1).max(30);

/** An invitation token as a caller pastes it (bounded; an unknown one is 404). */
export const InvitationToken = z.string().trim().min(1).max(200);

const workspaceRoleChoice = {
  workspaceRole: RoleKey.optional().meta({ description: 'Workspace role key; default `member` when `workspaceId` is given' }),
  workspaceRoleId: idOf('role').optional(),
};

/** The target of a new invitation, shared by both APIs. */
export const invitationTarget = {
  email: Email,
  ...roleChoice,
  workspaceId: idOf('workspace').optional(),
  ...workspaceRoleChoice,
  expiryDays: ExpiryDays.default(10),
};

/** Refinements of a new invitation: one way to name each role, and a workspace role only with a workspace. */
export function refineInvitationTarget<
  T extends z.ZodType<{
    role?: string | undefined;
    roleId?: string | undefined;
    workspaceId?: string | undefined;
    workspaceRole?: string | undefined;
    workspaceRoleId?: string | undefined;
  }>,
>(schema: T) {
  return schema
    .refine(oneRole, oneRoleError)
    .refine((v) => !(v.workspaceRole !== undefined && v.workspaceRoleId !== undefined), {
      error: 'give either workspaceRole or workspaceRoleId, not both',
      path: ['workspaceRole'],
    })
    .refine((v) => v.workspaceId !== undefined || (v.workspaceRole === undefined && v.workspaceRoleId === undefined), {
      error: 'a workspace role needs workspaceId',
      path: ['workspaceRole'],
    });
}

export const CreateInvitationBody = refineInvitationTarget(
  z.strictObject({ ...invitationTarget, sendEmail: z.boolean().default(false).meta({ description: 'Email the invitee (default false)' }) }),
);

export const InvitationParams = z.strictObject({ orgId: idOf('organization'), invitationId: idOf('invitation') });

export const ListInvitationsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
  workspaceId: idOf('workspace').optional(),
  includeDeleted: QueryBoolean.meta({ description: 'Also list accepted and revoked invitations' }),
  status: InvitationStatus.optional(),
});

export const ResendInvitationBody = z.strictObject({
  sendEmail: z.boolean().default(false),
  expiryDays: ExpiryDays.optional().meta({ description: 'Default: the invitation’s own' }),
});

const wachtRole = z.object({
  id: z.string(),
  organization_id: z.string(),
  name: z.string(),
  permissions: z.array(z.string()),
  is_system_role: z.boolean(),
  created_at: z.string().nullable(),
  updated_at: z.string().nullable(),
});

/** One invitation in seed 002's (Wacht's) snake_case shape. No `token`: it is stored hashed and shown once. */
export const WachtInvitation = z
  .object({
    id: z.string(),
    organization_id: z.string(),
    email: z.string(),
    status: InvitationStatus,
    expires_at: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
    initial_organization_role: wachtRole,
    initial_workspace_role: z.object({ id: z.string(), name: z.string(), permissions: z.array(z.string()) }).nullable(),
    workspace: z.object({ id: z.string(), name: z.string() }).nullable(),
    inviter: z
      .object({ id: z.string(), first_name: z.string().nullable(), last_name: z.string().nullable(), email: z.string().nullable() })
      .nullable(),
    inviter_roles: z.array(wachtRole),
  })
  .meta({ id: 'WachtInvitation' });

/** The whole answer of the seed-002 route: its own envelope, `data` a bare array, error codes upper-cased. */
export const WachtInvitationsResponse = z
  .object({
    status: z.number().int(),
    message: z.string(),
    data: z.array(WachtInvitation).nullable(),
    session: z.object({ id: z.string(), created_at: z.string(), updated_at: z.string() }).nullable(),
    errors: z.array(z.object({ code: z.string().meta({ example: 'FORBIDDEN' }), message: z.string() })).nullable(),
  })
  .meta({ id: 'WachtInvitationsResponse' });

/**
 * `GET /v1/organizations/{orgId}/invitations`: the one route in seed 002's shape rather than the
 * RPC envelope, so a client written against that page works unchanged. Not an operation (it is a
 * GET on the RPC API), so the OpenAPI document describes it from here.
 */
export const wachtInvitationsRoute = {
  method: 'GET',
  path: '/v1/organizations/{orgId}/invitations',
  summary: "An organization's pending and expired invitations, in Wacht's shape (members:manage)",
  description:
    'The session comes from `Authorization: Bearer`, the `__session` cookie or a `session_id` cookie. snake_case fields; ' +
    'error codes upper-cased (`FORBIDDEN`, `NOT_FOUND`). No `token` field: tokens are stored hashed and shown once.',
  tag: 'Invitations',
  output: WachtInvitationsResponse,
} as const;
