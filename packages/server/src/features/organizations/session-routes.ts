import * as ops from '@gatehouse/contract';
import type { Hono } from 'hono';
import { sql } from 'kysely';
import type { Deps } from '../../deps.js';
import { bindFrontend } from '../../http/bind.js';
import type { AppEnv } from '../../http/context.js';
import { ApiError } from '../../http/errors.js';
import { authorize } from '../../security/authorize.js';

/** `session/set-active`: the organization (and later workspace) the session JWT describes. */
export function registerActiveOrganizationRoutes(app: Hono<AppEnv>, deps: Deps): void {
  const { db } = deps;

  bindFrontend(app, deps, ops.frontendSetActive, async (input, principal, c) => {
    // `undefined` keeps the current value, `null` clears it; a new organization clears the workspace.
    const organizationId = input.organizationId === undefined ? principal.activeOrganizationId : input.organizationId;
    if (organizationId) await authorize(c, deps, organizationId);
    const orgChanged = organizationId !== principal.activeOrganizationId;
    const workspaceId = input.workspaceId === undefined ? (orgChanged ? null : principal.activeWorkspaceId) : input.workspaceId;
    // Workspaces arrive with their own feature; until then no workspace id can name one.
    if (workspaceId && input.workspaceId !== undefined) throw new ApiError('not_found', 'No such workspace.');
    // The sessions table belongs to the sessions feature (migration 0002); only these two columns are ours to set.
    await sql`update sessions set active_organization_id = ${organizationId}, active_workspace_id = ${workspaceId} where id = ${principal.sessionId}`.execute(
      db,
    );
    const session = {
      id: principal.sessionId,
      userId: principal.userId,
      activeOrganizationId: organizationId,
      activeWorkspaceId: workspaceId,
    };
    c.set('envelopeSession', session);
    return { session };
  });
}
