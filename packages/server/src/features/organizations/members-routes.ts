import * as ops from '@gatehouse/contract';
import type { Hono } from 'hono';
import { decodeCursor, toPage } from '../../db/pagination.js';
import type { Deps } from '../../deps.js';
import { bindBackend, bindFrontend } from '../../http/bind.js';
import type { AppEnv } from '../../http/context.js';
import { ApiError } from '../../http/errors.js';
import { getUser } from '../users/queries.js';
import { authorize } from './access.js';
import { addMember, changeMemberRole, removeMember } from './members.js';
import * as mq from './members-queries.js';
import { changeOf } from './organizations-routes.js';
import { presentMembership, presentUserMembership } from './present.js';

export function registerMemberRoutes(app: Hono<AppEnv>, deps: Deps): void {
  const { db } = deps;

  // Backend API (secret key): members by membership id.
  bindBackend(app, deps, ops.listOrganizationMembers, async ({ params, query }, c) => {
    await authorize(c, deps, params.orgId);
    const rows = await mq.listMembers(db, params.orgId, { after: decodeCursor(query.cursor), limit: query.limit });
    return toPage(rows, query.limit, (r) => r.id, presentMembership);
  });

  bindBackend(app, deps, ops.addOrganizationMember, async ({ params, body }, c) => {
    const access = await authorize(c, deps, params.orgId);
    return presentMembership(await addMember(db, changeOf(deps, c, access), body));
  });

  bindBackend(app, deps, ops.updateOrganizationMember, async ({ params, body }, c) => {
    const access = await authorize(c, deps, params.orgId);
    return presentMembership(await changeMemberRole(db, changeOf(deps, c, access), { membershipId: params.membershipId }, body));
  });

  bindBackend(app, deps, ops.removeOrganizationMember, async ({ params }, c) => {
    const access = await authorize(c, deps, params.orgId);
    const removed = await removeMember(db, changeOf(deps, c, access), { membershipId: params.membershipId }, 'removed');
    if (!removed) throw new ApiError('not_found', 'No such member.');
    return { id: params.membershipId, deleted: true as const };
  });

  bindBackend(app, deps, ops.listUserOrganizationMemberships, async ({ params, query }) => {
    await getUser(db, params.userId);
    const rows = await mq.listUserMemberships(db, params.userId, { after: decodeCursor(query.cursor), limit: query.limit });
    return toPage(rows, query.limit, (r) => r.id, presentUserMembership);
  });

  // Frontend API: members by user id.
  bindFrontend(app, deps, ops.frontendListMembers, async (input, _principal, c) => {
    await authorize(c, deps, input.organizationId, 'members:view');
    const rows = await mq.listMembers(db, input.organizationId, { after: decodeCursor(input.cursor), limit: input.limit });
    const page = toPage(rows, input.limit, (r) => r.id, presentMembership);
    return { members: page.data, hasMore: page.hasMore, nextCursor: page.nextCursor };
  });

  bindFrontend(app, deps, ops.frontendSetMemberRole, async (input, _principal, c) => {
    const access = await authorize(c, deps, input.organizationId, 'members:manage');
    await changeMemberRole(db, changeOf(deps, c, access), { userId: input.userId }, input);
    return { ok: true as const };
  });

  bindFrontend(app, deps, ops.frontendRemoveMember, async (input, _principal, c) => {
    const access = await authorize(c, deps, input.organizationId, 'members:manage');
    await removeMember(db, changeOf(deps, c, access), { userId: input.userId }, 'removed');
    return { ok: true as const };
  });

  bindFrontend(app, deps, ops.frontendLeaveOrganization, async (input, principal, c) => {
    const access = await authorize(c, deps, input.organizationId);
    await removeMember(db, changeOf(deps, c, access), { userId: principal.userId }, 'left');
    return { ok: true as const };
  });
}
