import * as ops from '@gatehouse/contract';
import type { Hono } from 'hono';
import { decodeCursor, toPage } from '../../db/pagination.js';
import type { Deps } from '../../deps.js';
import { bindBackend, bindFrontend } from '../../http/bind.js';
import type { AppEnv } from '../../http/context.js';
import { requireRecentAuth } from '../auth/reauth.js';
import { authorize } from '../organizations/access.js';
import { changeOf } from '../organizations/organizations-routes.js';
import { createApiToken, revokeApiToken, verifyBearer } from './api-tokens.js';
import { presentApiToken } from './present.js';
import * as q from './queries.js';

const invalid = { valid: false, organizationId: null, tokenId: null, env: null, permissions: null };

/** Organization API tokens on both APIs, and their verification for the SaaS team's servers. */
export function registerApiTokenRoutes(app: Hono<AppEnv>, deps: Deps): void {
  const { db, clock } = deps;

  const created = (made: Awaited<ReturnType<typeof createApiToken>>) => ({
    apiToken: { ...presentApiToken(made.row), secret: made.secret, bearer: made.bearer },
  });

  // Backend API (secret key).
  bindBackend(app, deps, ops.listOrganizationApiTokens, async ({ params, query }, c) => {
    await authorize(c, deps, params.orgId);
    const rows = await q.listTokens(db, params.orgId, { before: decodeCursor(query.cursor), limit: query.limit });
    return toPage(rows, query.limit, (r) => r.id, presentApiToken);
  });

  bindBackend(app, deps, ops.createOrganizationApiToken, async ({ params, body }, c) => {
    const access = await authorize(c, deps, params.orgId);
    return created(await createApiToken(db, changeOf(deps, c, access), body, null));
  });

  bindBackend(app, deps, ops.revokeOrganizationApiToken, async ({ params }, c) => {
    const access = await authorize(c, deps, params.orgId);
    return presentApiToken(await revokeApiToken(db, changeOf(deps, c, access), params.tokenId));
  });

  bindBackend(app, deps, ops.verifyApiToken, async ({ body }) => {
    const row = await verifyBearer(db, body.bearer, clock.now());
    if (!row) return invalid;
    return { valid: true, organizationId: row.organization_id, tokenId: row.id, env: row.env, permissions: row.permissions };
  });

  // Frontend API (a signed-in user: an org token never manages tokens).
  bindFrontend(app, deps, ops.frontendCreateApiToken, async ({ organizationId, ...input }, principal, c) => {
    const access = await authorize(c, deps, organizationId, 'org:manage');
    // A sensitive operation: a stolen session alone must not mint a long-lived credential.
    requireRecentAuth(principal, clock.now());
    return created(await createApiToken(db, changeOf(deps, c, access), input, principal.userId));
  });

  bindFrontend(app, deps, ops.frontendListApiTokens, async (input, _principal, c) => {
    await authorize(c, deps, input.organizationId, 'org:manage');
    const rows = await q.listTokens(db, input.organizationId, { before: decodeCursor(input.cursor), limit: input.limit });
    const page = toPage(rows, input.limit, (r) => r.id, presentApiToken);
    return { apiTokens: page.data, hasMore: page.hasMore, nextCursor: page.nextCursor };
  });

  bindFrontend(app, deps, ops.frontendRevokeApiToken, async (input, _principal, c) => {
    const access = await authorize(c, deps, input.organizationId, 'org:manage');
    return { ok: true as const, apiToken: presentApiToken(await revokeApiToken(db, changeOf(deps, c, access), input.id)) };
  });
}
