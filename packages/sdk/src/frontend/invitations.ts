import * as ops from '@gatehouse/contract';
import type { z } from 'zod';
import type { FrontendCaller } from './index.js';

type In<Op extends ops.FrontendOperation> = z.input<Op['input']>;

/** `client.organizations.invitations.*`, with seed 004's names. */
export function organizationInvitationsApi(call: FrontendCaller) {
  return {
    /** Invite an email (members:manage); emailed unless `sendEmail: false`. The token comes back this once. */
    create: (input: In<typeof ops.frontendCreateInvitation>) => call(ops.frontendCreateInvitation, input),
    /** Pending and expired invitations (members:manage); `includeDeleted` adds accepted and revoked ones. */
    list: (input: In<typeof ops.frontendListInvitations>) => call(ops.frontendListInvitations, input),
    /** Revoke an invitation; idempotent. */
    revoke: (input: In<typeof ops.frontendRevokeInvitation>) => call(ops.frontendRevokeInvitation, input),
    /** A new token and expiry, emailed again unless `sendEmail: false`. */
    resend: (input: In<typeof ops.frontendResendInvitation>) => call(ops.frontendResendInvitation, input),
    /** Accept with the token: you become a member. Your verified email must be the invited one. */
    accept: (input: In<typeof ops.frontendAcceptInvitation>) => call(ops.frontendAcceptInvitation, input),
    /** What a token is for (no sign-in needed): organization, email, inviter, expiry, status. */
    inspect: (input: In<typeof ops.frontendInspectInvitation>) => call(ops.frontendInspectInvitation, input),
  };
}

/** `client.invitations.inspect`: the accept page's look-up, before anyone signs in. */
export function invitationsApi(call: FrontendCaller) {
  return {
    /** What a token is for: organization, email, inviter, expiry, status (404 for an unknown token). */
    inspect: (input: In<typeof ops.frontendInspectInvitation>) => call(ops.frontendInspectInvitation, input),
  };
}
