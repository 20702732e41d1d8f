import * as ops from '@gatehouse/contract';
import type { Hono } from 'hono';
import { decodeCursor, toPage } from '../../db/pagination.js';
import type { Deps } from '../../deps.js';
import { bindBackend, bindFrontend } from '../../http/bind.js';
import type { AppEnv } from '../../http/context.js';
import { authorize } from '../organizations/access.js';
import { changeOf } from '../organizations/organizations-routes.js';
import { createJoinCode, joinWithCode, revokeJoinCode } from './join-codes.js';
import { presentJoinCode } from './present.js';
import { listJoinCodes } from './queries.js';

/** Join codes on both APIs: create, list and revoke (members:manage), and join (any signed-in user). */
export function registerJoinCodeRoutes(app: Hono<AppEnv>, deps: Deps): void {
  const { db, clock, rateLimiter } = deps;

  const page = async (organizationId: string, input: { limit: number; cursor?: string | undefined }) => {
    const rows = await listJoinCodes(db, organizationId, { before: decodeCursor(input.cursor), limit: input.limit });
    const now = clock.now();
    return toPage(
      rows,
      input.limit,
      (r) => r.id,
      (r) => presentJoinCode(r, now),
    );
  };

  // Backend API (secret key).
  bindBackend(app, deps, ops.listJoinCodes, async ({ params, query }, c) => {
    await authorize(c, deps, params.orgId);
    return page(params.orgId, query);
  });

  bindBackend(app, deps, ops.createJoinCode, async ({ params, body }, c) => {
    const access = await authorize(c, deps, params.orgId);
    const change = changeOf(deps, c, access);
    const { row, code } = await createJoinCode(db, change, body);
    return { joinCode: presentJoinCode(row, change.now), code };
  });

  bindBackend(app, deps, ops.revokeJoinCode, async ({ params }, c) => {
    const access = await authorize(c, deps, params.orgId);
    const change = changeOf(deps, c, access);
    return presentJoinCode(await revokeJoinCode(db, change, params.joinCodeId), change.now);
  });

  // Frontend API.
  bindFrontend(app, deps, ops.frontendCreateJoinCode, async ({ organizationId, ...spec }, _principal, c) => {
    const access = await authorize(c, deps, organizationId, 'members:manage');
    const change = changeOf(deps, c, access);
    const { row, code } = await createJoinCode(db, change, spec);
    return { joinCode: presentJoinCode(row, change.now), code };
  });

  bindFrontend(app, deps, ops.frontendListJoinCodes, async (input, _principal, c) => {
    await authorize(c, deps, input.organizationId, 'members:manage');
    const { data, hasMore, nextCursor } = await page(input.organizationId, input);
    return { joinCodes: data, hasMore, nextCursor };
  });

  bindFrontend(app, deps, ops.frontendRevokeJoinCode, async (input, _principal, c) => {
    const access = await authorize(c, deps, input.organizationId, 'members:manage');
    await revokeJoinCode(db, changeOf(deps, c, access), input.id);
    return { ok: true as const };
  });

  bindFrontend(app, deps, ops.frontendJoinWithCode, async (input, principal, c) => {
    // Every attempt counts, before any lookup: guessing is limited per address and per account.
    await rateLimiter.consume('joinIp', c.get('ip'));
    await rateLimiter.consume('joinUser', principal.userId);
    const frame = { ip: c.get('ip') ?? null, now: clock.now(), operation: c.req.path, log: c.get('log') };
    return joinWithCode(db, frame, principal, input.code);
  });
}
