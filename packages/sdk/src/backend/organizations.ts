import * as ops from '@gatehouse/contract';
import type { z } from 'zod';
import { paginate } from '../paginate.js';
import { invitationsApi } from './invitations.js';
import { joinCodesApi } from './join-codes.js';
import type { BackendCaller } from './users.js';

type Body<Op extends ops.BackendOperation> = z.input<NonNullable<Op['body']>>;
type Query<Op extends ops.BackendOperation> = z.input<NonNullable<Op['query']>>;

/** An organization as the backend API returns it. */
export type BackendOrganization = z.output<typeof ops.BackendOrganization>;
/** A membership (role key, role id, expanded permissions, user summary). */
export type Membership = z.output<typeof ops.Membership>;
/** A system or custom role. */
export type Role = z.output<typeof ops.Role>;
/** An audit log event. */
export type AuditEvent = z.output<typeof ops.AuditEvent>;

/**
 * `organizations.*` of the backend client, plus the flat method names of Wacht's Node SDK
 * (`listOrganizations`, `addOrganizationMember(organizationId, request)`, …) as aliases, both
 * under `organizations` and on the client's root.
 */
export function organizationsApi(call: BackendCaller) {
  const members = {
    /** Members, oldest first, one page at a time. */
    list: (organizationId: string, query: Query<typeof ops.listOrganizationMembers> = {}) =>
      call(ops.listOrganizationMembers, { params: { orgId: organizationId }, query }),
    /** Every member, fetching pages as the loop asks for them. */
    listAll: (organizationId: string, query: Omit<Query<typeof ops.listOrganizationMembers>, 'cursor'> = {}) =>
      paginate((cursor) =>
        call(ops.listOrganizationMembers, { params: { orgId: organizationId }, query: { ...query, ...(cursor ? { cursor } : {}) } }),
      ),
    /** Add a user directly, bypassing invitations (409 `already_member`). */
    add: (organizationId: string, body: Body<typeof ops.addOrganizationMember>) =>
      call(ops.addOrganizationMember, { params: { orgId: organizationId }, body }),
    /** Change a member's role (409 `last_owner`). */
    update: (organizationId: string, membershipId: string, body: Body<typeof ops.updateOrganizationMember>) =>
      call(ops.updateOrganizationMember, { params: { orgId: organizationId, membershipId }, body }),
    /** Remove a member (409 `last_owner`). */
    remove: (organizationId: string, membershipId: string) =>
      call(ops.removeOrganizationMember, { params: { orgId: organizationId, membershipId } }),
  };
  const roles = {
    /** System roles and the organization's custom roles, permissions expanded. */
    list: (organizationId: string) => call(ops.listOrganizationRoles, { params: { orgId: organizationId } }),
    create: (organizationId: string, body: Body<typeof ops.createOrganizationRole>) =>
      call(ops.createOrganizationRole, { params: { orgId: organizationId }, body }),
    update: (organizationId: string, roleId: string, body: Body<typeof ops.updateOrganizationRole>) =>
      call(ops.updateOrganizationRole, { params: { orgId: organizationId, roleId }, body }),
    /** Delete a custom role nobody holds (409 `conflict` otherwise). */
    delete: (organizationId: string, roleId: string) => call(ops.deleteOrganizationRole, { params: { orgId: organizationId, roleId } }),
  };
  const organizations = {
    /** Organizations, newest first; `search` matches name or slug. */
    list: (query: Query<typeof ops.listOrganizations> = {}) => call(ops.listOrganizations, { query }),
    /** Every organization matching `query`, fetching pages as the loop asks for them. */
    listAll: (query: Omit<Query<typeof ops.listOrganizations>, 'cursor'> = {}) =>
      paginate((cursor) => call(ops.listOrganizations, { query: { ...query, ...(cursor ? { cursor } : {}) } })),
    get: (organizationId: string) => call(ops.getOrganization, { params: { orgId: organizationId } }),
    /** Create an organization; `createdBy` becomes its first owner. */
    create: (body: Body<typeof ops.createOrganization>) => call(ops.createOrganization, { body }),
    update: (organizationId: string, body: Body<typeof ops.updateOrganization>) =>
      call(ops.updateOrganization, { params: { orgId: organizationId }, body }),
    /** Delete an organization with its memberships and roles (its audit log stays). */
    delete: (organizationId: string) => call(ops.deleteOrganization, { params: { orgId: organizationId } }),
    members,
    roles,
    /** Invitations: `list(orgId, { workspaceId, includeDeleted })`, `create`, `discard(orgId, id)`, `resend`. */
    invitations: invitationsApi(call),
    auditLog: {
      /** Events, newest first. */
      list: (organizationId: string, query: Query<typeof ops.listOrganizationAuditLog> = {}) =>
        call(ops.listOrganizationAuditLog, { params: { orgId: organizationId }, query }),
    },
    joinCodes: joinCodesApi(call),
  };
  // Wacht's Node SDK names (seed 001), with its argument order: `organizationId` first, then the
  // member or role id, then the request body. Reachable as `client.organizations.listOrganizationRoles(…)`
  // as the seed writes them, and on the client's root.
  const wachtAliases = {
    listOrganizations: organizations.list,
    getOrganization: organizations.get,
    createOrganization: organizations.create,
    updateOrganization: organizations.update,
    deleteOrganization: organizations.delete,
    listOrganizationMembers: members.list,
    addOrganizationMember: members.add,
    updateOrganizationMember: members.update,
    removeOrganizationMember: members.remove,
    listOrganizationRoles: roles.list,
    createOrganizationRole: roles.create,
    updateOrganizationRole: roles.update,
    deleteOrganizationRole: roles.delete,
  };
  return { organizations: { ...organizations, ...wachtAliases }, ...wachtAliases };
}

/** `permissions.*` of the backend client: the instance's permission catalog. */
export function permissionsApi(call: BackendCaller) {
  return {
    list: () => call(ops.listPermissions),
    /** Register your own permission, e.g. `{ key: 'invoices:approve', description: 'Approve invoices' }`. */
    create: (body: Body<typeof ops.createPermission>) => call(ops.createPermission, { body }),
    /** Delete one of your permissions that no role uses. */
    delete: (key: string) => call(ops.deletePermission, { params: { key } }),
  };
}

/** `users.memberships.*` of the backend client. */
export function userMembershipsApi(call: BackendCaller) {
  return {
    /** A user's organization memberships, each with its `organization` and `roleDetails`. */
    listOrganizations: (userId: string, query: Query<typeof ops.listUserOrganizationMemberships> = {}) =>
      call(ops.listUserOrganizationMemberships, { params: { userId }, query }),
  };
}
