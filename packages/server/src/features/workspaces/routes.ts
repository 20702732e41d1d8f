import * as ops from '@gatehouse/contract';
import type { Hono } from 'hono';
import { decodeCursor, toPage } from '../../db/pagination.js';
import type { Deps } from '../../deps.js';
import { bindBackend, bindFrontend } from '../../http/bind.js';
import type { AppEnv } from '../../http/context.js';
import { ApiError } from '../../http/errors.js';
import { authorize, holdsAll } from '../organizations/access.js';
import { findOrganization } from '../organizations/organizations-queries.js';
import { changeOf } from '../organizations/organizations-routes.js';
import { presentBackendOrganization } from '../organizations/present.js';
import { getUser } from '../users/queries.js';
import { presentWorkspace, presentWorkspaceMember } from './present.js';
import * as wq from './queries.js';
import { createWorkspaceRole, deleteWorkspaceRole, listWorkspaceRoles, updateWorkspaceRole } from './roles.js';
import {
  addWorkspaceMember,
  authorizeWorkspace,
  changeWorkspaceMemberRole,
  createWorkspace,
  deleteWorkspace,
  removeWorkspaceMember,
  updateWorkspace,
} from './workspaces.js';

/** Workspaces and their members, on both APIs. */
export function registerWorkspaceRoutes(app: Hono<AppEnv>, deps: Deps): void {
  const { db } = deps;

  // Backend API (secret key).
  bindBackend(app, deps, ops.createWorkspace, async ({ params, body }, c) => {
    const access = await authorize(c, deps, params.orgId);
    return presentWorkspace(await createWorkspace(db, changeOf(deps, c, access), body));
  });

  bindBackend(app, deps, ops.listWorkspaces, async ({ query }, c) => {
    await authorize(c, deps, query.organizationId);
    const rows = await wq.listWorkspaces(db, query.organizationId, { after: decodeCursor(query.cursor), limit: query.limit });
    return toPage(rows, query.limit, (r) => r.id, presentWorkspace);
  });

  bindBackend(app, deps, ops.getWorkspace, async ({ params }, c) => {
    const { workspace } = await authorizeWorkspace(c, deps, params.workspaceId);
    return presentWorkspace(workspace);
  });

  bindBackend(app, deps, ops.updateWorkspace, async ({ params, body }, c) => {
    const { org } = await authorizeWorkspace(c, deps, params.workspaceId);
    return presentWorkspace(await updateWorkspace(db, changeOf(deps, c, org), params.workspaceId, body));
  });

  bindBackend(app, deps, ops.deleteWorkspace, async ({ params }, c) => {
    const { org } = await authorizeWorkspace(c, deps, params.workspaceId);
    await deleteWorkspace(db, changeOf(deps, c, org), params.workspaceId);
    return { id: params.workspaceId, deleted: true as const };
  });

  bindBackend(app, deps, ops.listWorkspaceMembers, async ({ params, query }, c) => {
    await authorizeWorkspace(c, deps, params.workspaceId);
    const rows = await wq.listMembers(db, params.workspaceId, { after: decodeCursor(query.cursor), limit: query.limit });
    return toPage(rows, query.limit, (r) => r.id, presentWorkspaceMember);
  });

  bindBackend(app, deps, ops.addWorkspaceMember, async ({ params, body }, c) => {
    const { org } = await authorizeWorkspace(c, deps, params.workspaceId);
    return presentWorkspaceMember(await addWorkspaceMember(db, changeOf(deps, c, org), params.workspaceId, body));
  });

  bindBackend(app, deps, ops.removeWorkspaceMember, async ({ params }, c) => {
    const { org } = await authorizeWorkspace(c, deps, params.workspaceId);
    const removed = await removeWorkspaceMember(db, changeOf(deps, c, org), params.workspaceId, { membershipId: params.membershipId });
    if (!removed) throw new ApiError('not_found', 'No such workspace member.');
    return { id: params.membershipId, deleted: true as const };
  });

  bindBackend(app, deps, ops.updateWorkspaceMember, async ({ params, body }, c) => {
    const { org } = await authorizeWorkspace(c, deps, params.workspaceId);
    const ref = { membershipId: params.membershipId };
    return presentWorkspaceMember(await changeWorkspaceMemberRole(db, changeOf(deps, c, org), params.workspaceId, ref, body));
  });

  bindBackend(app, deps, ops.listUserWorkspaceMemberships, async ({ params, query }) => {
    await getUser(db, params.userId);
    const rows = await wq.listUserMemberships(db, params.userId, { after: decodeCursor(query.cursor), limit: query.limit });
    const page = toPage(
      rows,
      query.limit,
      (r) => r.id,
      (r) => r,
    );
    const data = await Promise.all(
      page.data.map(async (r) => {
        const [workspace, organization] = await Promise.all([
          wq.getWorkspace(db, r.organization_id, r.workspace_id),
          findOrganization(db, r.organization_id),
        ]);
        if (!organization) throw new ApiError('internal');
        return {
          ...presentWorkspaceMember(r),
          workspace: presentWorkspace(workspace),
          organization: presentBackendOrganization(organization),
          roleDetails: {
            id: r.role_id,
            key: r.role_key,
            name: r.role_name,
            permissions: r.permissions,
            isSystemRole: r.role_workspace_id === null,
          },
        };
      }),
    );
    return { ...page, data };
  });

  bindBackend(app, deps, ops.listWorkspaceRoles, async ({ params }, c) => {
    await authorizeWorkspace(c, deps, params.workspaceId);
    return { data: await listWorkspaceRoles(db, params.workspaceId) };
  });

  bindBackend(app, deps, ops.createWorkspaceRole, async ({ params, body }, c) => {
    const { org } = await authorizeWorkspace(c, deps, params.workspaceId);
    return createWorkspaceRole(db, changeOf(deps, c, org), params.workspaceId, body);
  });

  bindBackend(app, deps, ops.updateWorkspaceRole, async ({ params, body }, c) => {
    const { org } = await authorizeWorkspace(c, deps, params.workspaceId);
    return updateWorkspaceRole(db, changeOf(deps, c, org), params.workspaceId, params.roleId, body);
  });

  bindBackend(app, deps, ops.deleteWorkspaceRole, async ({ params }, c) => {
    const { org } = await authorizeWorkspace(c, deps, params.workspaceId);
    await deleteWorkspaceRole(db, changeOf(deps, c, org), params.workspaceId, params.roleId);
    return { id: params.roleId, deleted: true as const };
  });

  bindFrontend(app, deps, ops.frontendListWorkspaceRoles, async (input, _principal, c) => {
    await authorizeWorkspace(c, deps, input.workspaceId, 'workspace:manage');
    return { roles: await listWorkspaceRoles(db, input.workspaceId) };
  });

  bindFrontend(app, deps, ops.frontendCreateWorkspaceRole, async ({ workspaceId, ...input }, _principal, c) => {
    const { org } = await authorizeWorkspace(c, deps, workspaceId, 'workspace:manage');
    return { role: await createWorkspaceRole(db, changeOf(deps, c, org), workspaceId, input) };
  });

  bindFrontend(app, deps, ops.frontendUpdateWorkspaceRole, async ({ workspaceId, roleId, ...input }, _principal, c) => {
    const { org } = await authorizeWorkspace(c, deps, workspaceId, 'workspace:manage');
    return { role: await updateWorkspaceRole(db, changeOf(deps, c, org), workspaceId, roleId, input) };
  });

  bindFrontend(app, deps, ops.frontendDeleteWorkspaceRole, async (input, _principal, c) => {
    const { org } = await authorizeWorkspace(c, deps, input.workspaceId, 'workspace:manage');
    await deleteWorkspaceRole(db, changeOf(deps, c, org), input.workspaceId, input.roleId);
    return { ok: true as const };
  });

  // Frontend API (who may do what: docs/architecture.md).
  bindFrontend(app, deps, ops.frontendUpdateWorkspace, async (input, _principal, c) => {
    const { org } = await authorizeWorkspace(c, deps, input.workspaceId, 'workspace:manage');
    return { workspace: presentWorkspace(await updateWorkspace(db, changeOf(deps, c, org), input.workspaceId, { name: input.name })) };
  });

  bindFrontend(app, deps, ops.frontendSetWorkspaceMemberRole, async (input, _principal, c) => {
    const { org } = await authorizeWorkspace(c, deps, input.workspaceId, 'workspace:manage');
    await changeWorkspaceMemberRole(db, changeOf(deps, c, org), input.workspaceId, { userId: input.userId }, input);
    return { ok: true as const };
  });

  bindFrontend(app, deps, ops.frontendListMyWorkspaces, async (input, principal) => {
    const rows = await wq.listUserMemberships(db, principal.userId, { after: decodeCursor(input.cursor), limit: input.limit });
    const page = toPage(
      rows,
      input.limit,
      (r) => r.id,
      (r) => r,
    );
    const workspaces = await Promise.all(
      page.data.map(async (r) => ({
        workspace: presentWorkspace(await wq.getWorkspace(db, r.organization_id, r.workspace_id)),
        role: r.role_key,
        roleId: r.role_id,
        permissions: r.permissions,
      })),
    );
    return { workspaces, hasMore: page.hasMore, nextCursor: page.nextCursor };
  });

  bindFrontend(app, deps, ops.frontendCreateWorkspace, async (input, _principal, c) => {
    const access = await authorize(c, deps, input.organizationId, 'workspaces:manage');
    return { workspace: presentWorkspace(await createWorkspace(db, changeOf(deps, c, access), input)) };
  });

  bindFrontend(app, deps, ops.frontendGetWorkspace, async (input, _principal, c) => {
    const { workspace } = await authorizeWorkspace(c, deps, input.workspaceId, 'workspace:view');
    return { workspace: presentWorkspace(workspace) };
  });

  bindFrontend(app, deps, ops.frontendListWorkspaces, async (input, principal, c) => {
    const access = await authorize(c, deps, input.organizationId);
    // Every workspace of the organization for org workspaces:view, else only the caller's own.
    const mine = holdsAll(access, ['workspaces:view']) ? {} : { userId: principal.userId };
    const rows = await wq.listWorkspaces(db, input.organizationId, { after: decodeCursor(input.cursor), limit: input.limit, ...mine });
    const page = toPage(rows, input.limit, (r) => r.id, presentWorkspace);
    return { workspaces: page.data, hasMore: page.hasMore, nextCursor: page.nextCursor };
  });

  bindFrontend(app, deps, ops.frontendDeleteWorkspace, async (input, _principal, c) => {
    const { org } = await authorizeWorkspace(c, deps, input.workspaceId);
    if (!holdsAll(org, ['workspaces:manage'])) await authorize(c, deps, org.organizationId, 'workspaces:manage');
    await deleteWorkspace(db, changeOf(deps, c, org), input.workspaceId);
    return { ok: true as const };
  });

  bindFrontend(app, deps, ops.frontendListWorkspaceMembers, async (input, _principal, c) => {
    await authorizeWorkspace(c, deps, input.workspaceId, 'workspace:view');
    const rows = await wq.listMembers(db, input.workspaceId, { after: decodeCursor(input.cursor), limit: input.limit });
    const page = toPage(rows, input.limit, (r) => r.id, presentWorkspaceMember);
    return { members: page.data, hasMore: page.hasMore, nextCursor: page.nextCursor };
  });

  bindFrontend(app, deps, ops.frontendAddWorkspaceMember, async (input, _principal, c) => {
    const { org } = await authorizeWorkspace(c, deps, input.workspaceId, 'workspace:manage');
    const { workspaceId, ...member } = input;
    return { member: presentWorkspaceMember(await addWorkspaceMember(db, changeOf(deps, c, org), workspaceId, member)) };
  });

  bindFrontend(app, deps, ops.frontendRemoveWorkspaceMember, async (input, _principal, c) => {
    const { org } = await authorizeWorkspace(c, deps, input.workspaceId, 'workspace:manage');
    await removeWorkspaceMember(db, changeOf(deps, c, org), input.workspaceId, { userId: input.userId });
    return { ok: true as const };
  });
}
