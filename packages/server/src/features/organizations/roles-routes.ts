import * as ops from '@gatehouse/contract';
import type { Hono } from 'hono';
import type { Deps } from '../../deps.js';
import { bindBackend, bindFrontend } from '../../http/bind.js';
import type { AppEnv } from '../../http/context.js';
import { authorize } from './access.js';
import { changeOf } from './organizations-routes.js';
import { presentRole } from './present.js';
import { createRole, deleteRole, updateRole } from './roles.js';
import { listCatalog, listRoles, presentCatalogPermission } from './roles-queries.js';

export function registerRoleRoutes(app: Hono<AppEnv>, deps: Deps): void {
  const { db } = deps;

  // Backend API (secret key).
  bindBackend(app, deps, ops.listOrganizationRoles, async ({ params }, c) => {
    await authorize(c, deps, params.orgId);
    const rows = await listRoles(db, params.orgId);
    return { data: rows.map(presentRole), hasMore: false, nextCursor: null };
  });

  bindBackend(app, deps, ops.createOrganizationRole, async ({ params, body }, c) => {
    const access = await authorize(c, deps, params.orgId);
    return presentRole(await createRole(db, changeOf(deps, c, access), body));
  });

  bindBackend(app, deps, ops.updateOrganizationRole, async ({ params, body }, c) => {
    const access = await authorize(c, deps, params.orgId);
    return presentRole(await updateRole(db, changeOf(deps, c, access), params.roleId, body));
  });

  bindBackend(app, deps, ops.deleteOrganizationRole, async ({ params }, c) => {
    const access = await authorize(c, deps, params.orgId);
    await deleteRole(db, changeOf(deps, c, access), params.roleId);
    return { id: params.roleId, deleted: true as const };
  });

  // Frontend API.
  bindFrontend(app, deps, ops.frontendRoleMatrix, async (input, _principal, c) => {
    if (input.organizationId) await authorize(c, deps, input.organizationId, 'org:view');
    const [roles, catalog] = await Promise.all([listRoles(db, input.organizationId), listCatalog(db)]);
    return { roles: roles.map(presentRole), permissions: catalog.map(presentCatalogPermission) };
  });

  bindFrontend(app, deps, ops.frontendCreateRole, async (input, _principal, c) => {
    const access = await authorize(c, deps, input.organizationId, 'roles:manage');
    return { role: presentRole(await createRole(db, changeOf(deps, c, access), input)) };
  });

  bindFrontend(app, deps, ops.frontendUpdateRole, async (input, _principal, c) => {
    const access = await authorize(c, deps, input.organizationId, 'roles:manage');
    return { role: presentRole(await updateRole(db, changeOf(deps, c, access), input.roleId, input)) };
  });

  bindFrontend(app, deps, ops.frontendDeleteRole, async (input, _principal, c) => {
    const access = await authorize(c, deps, input.organizationId, 'roles:manage');
    await deleteRole(db, changeOf(deps, c, access), input.roleId);
    return { ok: true as const };
  });
}
