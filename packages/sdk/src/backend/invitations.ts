import * as ops from '@gatehouse/contract';
import type { z } from 'zod';
import { paginate } from '../paginate.js';
import type { BackendCaller } from './users.js';

type Body<Op extends ops.BackendOperation> = z.input<NonNullable<Op['body']>>;
type Query<Op extends ops.BackendOperation> = z.input<NonNullable<Op['query']>>;

/** An invitation (never its token). */
export type Invitation = z.output<typeof ops.Invitation>;
/** What create and resend answer: the invitation, its token and accept link, shown once. */
export type InvitationWithToken = z.output<typeof ops.InvitationWithToken>;

/** The list filters, with `includeDeleted` a boolean (the query string carries `true` or `false`). */
export type ListInvitationsQuery = Omit<Query<typeof ops.listInvitations>, 'includeDeleted'> & { includeDeleted?: boolean };

function toQuery({ includeDeleted, ...rest }: ListInvitationsQuery): Query<typeof ops.listInvitations> {
  return includeDeleted === undefined ? rest : { ...rest, includeDeleted: includeDeleted ? 'true' : 'false' };
}

/**
 * `organizations.invitations.*` of the backend client, with seed 000's names and argument order:
 * `list(orgId, { workspaceId, includeDeleted })`, `create(orgId, request)`, `discard(orgId, id)`.
 */
export function invitationsApi(call: BackendCaller) {
  return {
    /** Pending and expired invitations, newest first; `includeDeleted: true` adds accepted and revoked ones. */
    list: (organizationId: string, query: ListInvitationsQuery = {}) =>
      call(ops.listInvitations, { params: { orgId: organizationId }, query: toQuery(query) }),
    /** Every invitation matching `query`, fetching pages as the loop asks for them. */
    listAll: (organizationId: string, query: Omit<ListInvitationsQuery, 'cursor'> = {}) =>
      paginate((cursor) =>
        call(ops.listInvitations, { params: { orgId: organizationId }, query: toQuery({ ...query, ...(cursor ? { cursor } : {}) }) }),
      ),
    /** Invite an email (optionally into a workspace); the token and `acceptUrl` are returned this once. Emailed only with `sendEmail: true`. */
    create: (organizationId: string, body: Body<typeof ops.createInvitation>) =>
      call(ops.createInvitation, { params: { orgId: organizationId }, body }),
    /** Revoke an invitation; idempotent (409 `invitation_accepted` once accepted). */
    discard: (organizationId: string, invitationId: string) =>
      call(ops.discardInvitation, { params: { orgId: organizationId, invitationId } }),
    /** A new token and expiry for a pending or expired invitation. */
    resend: (organizationId: string, invitationId: string, body: Body<typeof ops.resendInvitation> = {}) =>
      call(ops.resendInvitation, { params: { orgId: organizationId, invitationId }, body }),
  };
}
