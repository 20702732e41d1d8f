import * as ops from '@gatehouse/contract';
import type { Context, Hono } from 'hono';
import { decodeCursor, toPage } from '../../db/pagination.js';
import type { Deps } from '../../deps.js';
import { bindBackend, bindFrontend } from '../../http/bind.js';
import type { AppEnv } from '../../http/context.js';
import { ApiError } from '../../http/errors.js';
import { authorize } from '../organizations/access.js';
import { changeOf } from '../organizations/organizations-routes.js';
import {
  acceptInvitation,
  createInvitation,
  findByToken,
  type IssuedInvitation,
  resendInvitation,
  revokeInvitation,
} from './invitations.js';
import { presentInvitation } from './present.js';
import * as iq from './queries.js';
import { registerWachtInvitationsRoute } from './wacht-route.js';

function issued({ row, token, acceptUrl }: IssuedInvitation) {
  return { invitation: presentInvitation(row), token, acceptUrl };
}

/** Token look-ups (inspect, accept) count per IP; a right token gives its point back, so guessing is what runs out. */
async function byToken(deps: Deps, c: Context<AppEnv>, token: string) {
  const ip = c.get('ip') ?? 'unknown';
  await deps.rateLimiter.consume('invitationIp', ip);
  const found = await findByToken(deps.db, token);
  if (!found) throw new ApiError('not_found', 'No such invitation.');
  await deps.rateLimiter.refund('invitationIp', ip);
  return found;
}

/** Invitations on both APIs, and the seed-002 view. */
export function registerInvitationRoutes(app: Hono<AppEnv>, deps: Deps): void {
  const { db, clock } = deps;

  // Backend API (secret key).
  bindBackend(app, deps, ops.listInvitations, async ({ params, query }, c) => {
    await authorize(c, deps, params.orgId);
    const rows = await iq.listInvitations(db, params.orgId, { ...query, before: decodeCursor(query.cursor) }, clock.now());
    return toPage(rows, query.limit, (r) => r.id, presentInvitation);
  });

  bindBackend(app, deps, ops.createInvitation, async ({ params, body }, c) => {
    const access = await authorize(c, deps, params.orgId);
    return issued(await createInvitation(deps, changeOf(deps, c, access), body));
  });

  bindBackend(app, deps, ops.discardInvitation, async ({ params }, c) => {
    const access = await authorize(c, deps, params.orgId);
    return presentInvitation(await revokeInvitation(deps, changeOf(deps, c, access), params.invitationId));
  });

  bindBackend(app, deps, ops.resendInvitation, async ({ params, body }, c) => {
    const access = await authorize(c, deps, params.orgId);
    return issued(await resendInvitation(deps, changeOf(deps, c, access), params.invitationId, body));
  });

  // Frontend API (session or org token; accept needs a user).
  bindFrontend(app, deps, ops.frontendCreateInvitation, async ({ organizationId, ...input }, _principal, c) => {
    const access = await authorize(c, deps, organizationId, 'members:manage');
    return issued(await createInvitation(deps, changeOf(deps, c, access), input));
  });

  bindFrontend(app, deps, ops.frontendListInvitations, async (input, _principal, c) => {
    await authorize(c, deps, input.organizationId, 'members:manage');
    const rows = await iq.listInvitations(db, input.organizationId, { ...input, before: decodeCursor(input.cursor) }, clock.now());
    const page = toPage(rows, input.limit, (r) => r.id, presentInvitation);
    return { invitations: page.data, hasMore: page.hasMore, nextCursor: page.nextCursor };
  });

  bindFrontend(app, deps, ops.frontendRevokeInvitation, async (input, _principal, c) => {
    const access = await authorize(c, deps, input.organizationId, 'members:manage');
    return { ok: true as const, invitation: presentInvitation(await revokeInvitation(deps, changeOf(deps, c, access), input.id)) };
  });

  bindFrontend(app, deps, ops.frontendResendInvitation, async (input, _principal, c) => {
    const access = await authorize(c, deps, input.organizationId, 'members:manage');
    return issued(await resendInvitation(deps, changeOf(deps, c, access), input.id, { sendEmail: input.sendEmail }));
  });

  bindFrontend(app, deps, ops.frontendAcceptInvitation, async (input, principal, c) => {
    const found = await byToken(deps, c, input.token);
    return acceptInvitation(deps, principal, found, { ip: c.get('ip') ?? null, now: clock.now() });
  });

  bindFrontend(app, deps, ops.frontendInspectInvitation, async (input, _principal, c) => {
    const found = await byToken(deps, c, input.token);
    const row = await iq.findInvitation(db, found.organization_id, found.id, clock.now());
    const org = await db.selectFrom('organizations').select(['id', 'name']).where('id', '=', found.organization_id).executeTakeFirst();
    if (!row || !org) throw new ApiError('not_found', 'No such invitation.');
    const { inviter, email, expiresAt, status } = presentInvitation(row);
    return { invitation: { organization: { id: org.id, name: org.name }, email, inviter, expiresAt, status } };
  });

  registerWachtInvitationsRoute(app, deps);
}
