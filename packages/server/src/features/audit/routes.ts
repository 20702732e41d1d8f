import * as ops from '@gatehouse/contract';
import type { Hono } from 'hono';
import { decodeCursor, toPage } from '../../db/pagination.js';
import type { Deps } from '../../deps.js';
import { bindBackend, bindFrontend } from '../../http/bind.js';
import type { AppEnv } from '../../http/context.js';
import { ApiError } from '../../http/errors.js';
import { authorize } from '../organizations/access.js';
import { listAuditEvents, organizationLogExists, presentAuditEvent } from './queries.js';

export function registerAuditRoutes(app: Hono<AppEnv>, deps: Deps): void {
  const { db } = deps;

  // Not authorize(), which answers 404 for a deleted organization: its log is kept and stays
  // readable. An id that never named an organization is 404 on every page, cursor or not.
  bindBackend(app, deps, ops.listOrganizationAuditLog, async ({ params, query }) => {
    if (!(await organizationLogExists(db, params.orgId))) throw new ApiError('not_found', 'No such organization.');
    const rows = await listAuditEvents(db, params.orgId, {
      before: decodeCursor(query.cursor),
      limit: query.limit,
      action: query.action,
      actorId: query.actorId,
    });
    return toPage(rows, query.limit, (r) => r.id, presentAuditEvent);
  });

  bindFrontend(app, deps, ops.frontendListAuditLog, async (input, _principal, c) => {
    await authorize(c, deps, input.organizationId, 'audit:view');
    const rows = await listAuditEvents(db, input.organizationId, { before: decodeCursor(input.cursor), limit: input.limit });
    const page = toPage(rows, input.limit, (r) => r.id, presentAuditEvent);
    return { events: page.data, hasMore: page.hasMore, nextCursor: page.nextCursor };
  });
}
