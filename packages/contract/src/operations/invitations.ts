import { z } from 'zod';
import { FrontendPage, page } from '../common.js';
import { idOf } from '../ids.js';
import {
  CreateInvitationBody,
  Invitation,
  InvitationParams,
  InvitationStatus,
  InvitationToken,
  InvitationWithToken,
  Inviter,
  invitationTarget,
  ListInvitationsQuery,
  ResendInvitationBody,
  refineInvitationTarget,
} from '../invitations.js';
import { backend, frontend } from '../operation.js';
import { OrganizationParams } from '../organizations.js';

const tag = 'Invitations';
const organizationId = idOf('organization');

export const listInvitations = backend({
  name: 'organizations.invitations.list',
  method: 'GET',
  path: '/organizations/{orgId}/invitations',
  params: OrganizationParams,
  query: ListInvitationsQuery,
  output: page(Invitation),
  summary: "An organization's invitations, newest first",
  description:
    'Pending and expired ones by default; `includeDeleted=true` adds accepted and revoked ones (told apart by `status`); ' +
    '`status` keeps one status; `workspaceId` keeps those into that workspace.',
  tag,
});

export const createInvitation = backend({
  name: 'organizations.invitations.create',
  method: 'POST',
  path: '/organizations/{orgId}/invitations',
  params: OrganizationParams,
  body: CreateInvitationBody,
  output: InvitationWithToken,
  summary: 'Invite an email into the organization, optionally into a workspace',
  description:
    'Role defaults to `member`, and with `workspaceId` the workspace role to `member`. 409 `invitation_pending` when a live one exists for ' +
    'this email and scope; 409 `already_member` when a member of the scope has this verified email. Emailed only with `sendEmail: true`.',
  tag,
});

export const discardInvitation = backend({
  name: 'organizations.invitations.discard',
  method: 'POST',
  path: '/organizations/{orgId}/invitations/{invitationId}/discard',
  params: InvitationParams,
  output: Invitation,
  summary: 'Revoke an invitation (idempotent)',
  description: 'Answers the invitation, revoked, every time; 409 `invitation_accepted` when it was accepted.',
  tag,
});

export const resendInvitation = backend({
  name: 'organizations.invitations.resend',
  method: 'POST',
  path: '/organizations/{orgId}/invitations/{invitationId}/resend',
  params: InvitationParams,
  body: ResendInvitationBody,
  output: InvitationWithToken,
  summary: 'Give a pending or expired invitation a new token and a new expiry',
  description: 'The old token stops working. 409 `invitation_accepted`; 410 `invitation_revoked`. Emailed only with `sendEmail: true`.',
  tag,
});

export const frontendCreateInvitation = frontend({
  name: 'organizations/invitations/create',
  input: refineInvitationTarget(
    z.strictObject({ organizationId, ...invitationTarget, sendEmail: z.boolean().default(true).meta({ description: 'Default true' }) }),
  ),
  output: InvitationWithToken,
  auth: 'principal',
  permission: 'members:manage',
  summary: 'Invite an email (emailed unless `sendEmail: false`)',
  description:
    'The roles must be within your own permissions (403); a workspace invitation also needs workspace:manage there. ' +
    '409 `invitation_pending`, 409 `already_member`.',
  tag,
});

export const frontendListInvitations = frontend({
  name: 'organizations/invitations/list',
  input: z.strictObject({
    organizationId,
    workspaceId: idOf('workspace').optional(),
    status: InvitationStatus.optional(),
    includeDeleted: z.boolean().optional(),
    ...FrontendPage,
  }),
  output: z.object({ invitations: z.array(Invitation), hasMore: z.boolean(), nextCursor: z.string().nullable() }),
  auth: 'principal',
  permission: 'members:manage',
  summary: 'Pending and expired invitations, newest first (`includeDeleted` adds accepted and revoked)',
  tag,
});

export const frontendRevokeInvitation = frontend({
  name: 'organizations/invitations/revoke',
  input: z.strictObject({ organizationId, id: idOf('invitation') }),
  output: z.object({ ok: z.literal(true), invitation: Invitation }),
  auth: 'principal',
  permission: 'members:manage',
  summary: 'Revoke an invitation (idempotent; 409 `invitation_accepted`)',
  tag,
});

export const frontendResendInvitation = frontend({
  name: 'organizations/invitations/resend',
  input: z.strictObject({ organizationId, id: idOf('invitation'), sendEmail: z.boolean().default(true) }),
  output: InvitationWithToken,
  auth: 'principal',
  permission: 'members:manage',
  summary: 'New token and new expiry for a pending or expired invitation (emailed unless `sendEmail: false`)',
  tag,
});

export const frontendAcceptInvitation = frontend({
  name: 'organizations/invitations/accept',
  input: z.strictObject({ token: InvitationToken }),
  output: z.object({
    organizationId: z.string(),
    role: z.string(),
    roleId: z.string(),
    workspaceId: z.string().nullable(),
    workspaceRole: z.string().nullable(),
    alreadyMember: z.boolean(),
  }),
  auth: 'user',
  summary: 'Accept an invitation: you become a member (and of its workspace)',
  description:
    'Needs a verified email of yours equal to the invited one (403 `email_mismatch`). 410 `invitation_expired` / `invitation_revoked`; ' +
    '409 `invitation_accepted` when someone else accepted it; accepting again yourself answers 200.',
  tag,
});

export const frontendInspectInvitation = frontend({
  name: 'invitations/inspect',
  input: z.strictObject({ token: InvitationToken }),
  output: z.object({
    invitation: z.object({
      organization: z.object({ id: z.string(), name: z.string() }),
      email: z.string(),
      inviter: Inviter.nullable(),
      expiresAt: z.string(),
      status: InvitationStatus,
    }),
  }),
  auth: 'none',
  summary: 'What an invitation token is for (the accept page): organization, email, inviter, expiry, status',
  description: 'An unknown token → 404. Rate limited per IP.',
  tag,
});
