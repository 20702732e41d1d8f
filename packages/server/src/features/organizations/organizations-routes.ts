import * as ops from '@gatehouse/contract';
import type { Context, Hono } from 'hono';
import { decodeCursor, toPage } from '../../db/pagination.js';
import type { Deps } from '../../deps.js';
import { bindBackend, bindFrontend } from '../../http/bind.js';
import type { AppEnv } from '../../http/context.js';
import { ApiError } from '../../http/errors.js';
import { actorOf } from '../audit/record.js';
import { authorize, type OrgAccess } from './access.js';
import type { Change } from './change.js';
import { listUserMemberships } from './members-queries.js';
import { createOrganization, deleteOrganization, updateOrganization } from './organizations.js';
import * as oq from './organizations-queries.js';
import { presentBackendOrganization, presentMyOrganization, presentOrganization } from './present.js';

export function changeOf(deps: Deps, c: Context<AppEnv>, access: OrgAccess): Change {
  return { access, ip: c.get('ip') ?? null, now: deps.clock.now(), operation: c.req.path, log: c.get('log') };
}

function adminActor(c: Context<AppEnv>) {
  const principal = c.get('principal');
  if (!principal) throw new ApiError('unauthenticated');
  return actorOf(principal);
}

export function registerOrganizationCoreRoutes(app: Hono<AppEnv>, deps: Deps): void {
  const { db, clock } = deps;

  // Backend API (secret key).
  bindBackend(app, deps, ops.listOrganizations, async ({ query }) => {
    const rows = await oq.listOrganizations(db, { search: query.search, before: decodeCursor(query.cursor), limit: query.limit });
    return toPage(rows, query.limit, (r) => r.id, presentBackendOrganization);
  });

  bindBackend(app, deps, ops.createOrganization, async ({ body }, c) => {
    const { createdBy, ...input } = body;
    const row = await createOrganization(
      db,
      { ...input, ownerUserId: createdBy },
      { actor: adminActor(c), ip: c.get('ip'), now: clock.now() },
    );
    return presentBackendOrganization(row);
  });

  bindBackend(app, deps, ops.getOrganization, async ({ params }, c) => {
    await authorize(c, deps, params.orgId);
    return presentBackendOrganization(await oq.getOrganization(db, params.orgId));
  });

  bindBackend(app, deps, ops.updateOrganization, async ({ params, body }, c) => {
    const access = await authorize(c, deps, params.orgId);
    return presentBackendOrganization(await updateOrganization(db, changeOf(deps, c, access), body));
  });

  bindBackend(app, deps, ops.deleteOrganization, async ({ params }, c) => {
    const access = await authorize(c, deps, params.orgId);
    await deleteOrganization(db, changeOf(deps, c, access));
    return { id: params.orgId, deleted: true as const };
  });

  // Frontend API (session or org token).
  bindFrontend(app, deps, ops.frontendCreateOrganization, async (input, principal, c) => {
    const row = await createOrganization(
      db,
      { name: input.name, ownerUserId: principal.userId },
      { actor: actorOf(principal), ip: c.get('ip'), now: clock.now() },
    );
    return { organization: presentOrganization(row) };
  });

  bindFrontend(app, deps, ops.frontendGetOrganization, async (input, _principal, c) => {
    await authorize(c, deps, input.organizationId, 'org:view');
    return { organization: presentOrganization(await oq.getOrganization(db, input.organizationId)) };
  });

  // One keyset page of the caller's memberships (the (user_id, id) index), for both names of the operation.
  const listMine = async (userId: string, input: { limit: number; cursor?: string | undefined }) => {
    const rows = await listUserMemberships(db, userId, { after: decodeCursor(input.cursor), limit: input.limit });
    const page = toPage(rows, input.limit, (r) => r.id, presentMyOrganization);
    return { organizations: page.data, hasMore: page.hasMore, nextCursor: page.nextCursor };
  };
  bindFrontend(app, deps, ops.frontendListOrganizations, async (input, principal) => listMine(principal.userId, input));
  bindFrontend(app, deps, ops.frontendListMyOrganizations, async (input, principal) => listMine(principal.userId, input));

  bindFrontend(app, deps, ops.frontendUpdateOrganization, async (input, _principal, c) => {
    const access = await authorize(c, deps, input.organizationId, 'org:manage');
    await updateOrganization(db, changeOf(deps, c, access), { name: input.name });
    return { ok: true as const };
  });

  bindFrontend(app, deps, ops.frontendDeleteOrganization, async (input, _principal, c) => {
    const access = await authorize(c, deps, input.organizationId, 'org:delete');
    await deleteOrganization(db, changeOf(deps, c, access));
    return { ok: true as const };
  });
}
