import * as ops from '@gatehouse/contract';
import type { z } from 'zod';
import type { FrontendCaller } from './index.js';
import { organizationInvitationsApi } from './invitations.js';
import { joinCodesApi } from './join-codes.js';

type In<Op extends ops.FrontendOperation> = z.input<Op['input']>;

/**
 * `client.organizations.*`: organizations, members, custom roles and the audit log, as the signed-in
 * user (or an org API token, where allowed). `roles()` is the role → permission matrix, with
 * `roles.create/update/delete` attached.
 */
export function organizationsApi(call: FrontendCaller) {
  const roles = Object.assign(
    /** The role → permission matrix and the permission catalog; with `organizationId`, its custom roles too. */
    (input: In<typeof ops.frontendRoleMatrix> = {}) => call(ops.frontendRoleMatrix, input),
    {
      /** Create a custom role (roles:manage; only permissions you hold). */
      create: (input: In<typeof ops.frontendCreateRole>) => call(ops.frontendCreateRole, input),
      /** Rename a custom role or replace its permissions. */
      update: (input: In<typeof ops.frontendUpdateRole>) => call(ops.frontendUpdateRole, input),
      /** Delete a custom role nobody holds. */
      delete: (input: In<typeof ops.frontendDeleteRole>) => call(ops.frontendDeleteRole, input),
    },
  );
  return {
    /** Create an organization; you become its owner. */
    create: (input: In<typeof ops.frontendCreateOrganization>) => call(ops.frontendCreateOrganization, input),
    /** Get one organization (org:view). */
    get: (input: In<typeof ops.frontendGetOrganization>) => call(ops.frontendGetOrganization, input),
    /** Your organizations, with your role in each. */
    list: (input: In<typeof ops.frontendListOrganizations> = {}) => call(ops.frontendListOrganizations, input),
    /** Rename an organization (org:manage). */
    update: (input: In<typeof ops.frontendUpdateOrganization>) => call(ops.frontendUpdateOrganization, input),
    /** Delete an organization (org:delete). */
    delete: (input: In<typeof ops.frontendDeleteOrganization>) => call(ops.frontendDeleteOrganization, input),
    /** Leave an organization (409 `last_owner` for its only owner). */
    leave: (input: In<typeof ops.frontendLeaveOrganization>) => call(ops.frontendLeaveOrganization, input),
    roles,
    members: {
      /** Members, oldest first, one page at a time (members:view). */
      list: (input: In<typeof ops.frontendListMembers>) => call(ops.frontendListMembers, input),
      /** Change a member's role (members:manage; 409 `last_owner`). */
      setRole: (input: In<typeof ops.frontendSetMemberRole>) => call(ops.frontendSetMemberRole, input),
      /** Remove a member; idempotent (members:manage; 409 `last_owner`). */
      remove: (input: In<typeof ops.frontendRemoveMember>) => call(ops.frontendRemoveMember, input),
    },
    /** Invitations: create, list, revoke, resend, accept (and inspect). */
    invitations: organizationInvitationsApi(call),
    auditLog: {
      /** Audit events, newest first (audit:view). */
      list: (input: In<typeof ops.frontendListAuditLog>) => call(ops.frontendListAuditLog, input),
    },
    joinCodes: joinCodesApi(call),
  };
}

/** `client.session.setActive`: choose the session's active organization (mounted under `session`). */
export function organizationSessionApi(call: FrontendCaller) {
  return {
    /** Make an organization you belong to active (`null` clears); the session JWT then carries it. */
    setActive: (input: In<typeof ops.frontendSetActive>) => call(ops.frontendSetActive, input),
  };
}

/** `client.me.organizations.list` (mounted under `me`): same as `organizations.list`. */
export function myOrganizationsApi(call: FrontendCaller) {
  return {
    organizations: {
      /** Your organizations, with your role in each. */
      list: (input: In<typeof ops.frontendListMyOrganizations> = {}) => call(ops.frontendListMyOrganizations, input),
    },
  };
}
