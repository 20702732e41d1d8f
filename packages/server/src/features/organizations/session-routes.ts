import * as ops from '@gatehouse/contract';
import type { Hono } from 'hono';
import { retryTransaction } from '../../db/retry.js';
import type { Deps } from '../../deps.js';
import { bindFrontend } from '../../http/bind.js';
import type { AppEnv } from '../../http/context.js';
import { ApiError } from '../../http/errors.js';
import { workspaceVisibleTo } from '../workspaces/workspaces.js';
import { authorize } from './access.js';
import { setActiveOrganization } from './active-organization-queries.js';
import { lockMembershipOfUser } from './members-queries.js';

/** `session/set-active`: the organization (and later workspace) the session JWT describes. */
export function registerActiveOrganizationRoutes(app: Hono<AppEnv>, deps: Deps): void {
  const { db } = deps;

  bindFrontend(app, deps, ops.frontendSetActive, async (input, principal, c) => {
    // `undefined` keeps the current value, `null` clears it; a new organization clears the workspace.
    const organizationId = input.organizationId === undefined ? principal.activeOrganizationId : input.organizationId;
    const access = organizationId ? await authorize(c, deps, organizationId) : undefined;
    const orgChanged = organizationId !== principal.activeOrganizationId;
    const workspaceId = input.workspaceId === undefined ? (orgChanged ? null : principal.activeWorkspaceId) : input.workspaceId;
    // A new workspace must be of the active organization and visible to the caller, else 404.
    if (workspaceId && input.workspaceId !== undefined) {
      if (!access || !(await workspaceVisibleTo(db, access, workspaceId))) throw new ApiError('not_found', 'No such workspace.');
    }
    await retryTransaction(() =>
      db.transaction().execute(async (tx) => {
        // Hold the membership until the session names the organization: a removal racing this call
        // then waits, and its clearing of the member's sessions sees this one (or this one sees no membership).
        // Organization row first, as every removal takes it (FOR UPDATE) before the membership: the
        // session update's foreign key would otherwise take it last and deadlock with them (40P01).
        if (
          organizationId &&
          !(await tx.selectFrom('organizations').select('id').where('id', '=', organizationId).forKeyShare().executeTakeFirst())
        ) {
          throw new ApiError('not_found', 'No such organization.');
        }
        if (organizationId && !(await lockMembershipOfUser(tx, organizationId, principal.userId))) {
          throw new ApiError('not_found', 'No such organization.');
        }
        await setActiveOrganization(tx, principal.sessionId, { organizationId, workspaceId });
      }),
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
