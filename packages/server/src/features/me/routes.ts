import * as ops from '@gatehouse/contract';
import type { Hono } from 'hono';
import type { Deps } from '../../deps.js';
import { bindFrontend } from '../../http/bind.js';
import type { AppEnv } from '../../http/context.js';
import { ApiError } from '../../http/errors.js';
import { resolvedSessionOf } from '../auth/resolve.js';
import { presentUser } from '../users/present.js';
import { getUser, updateUser } from '../users/queries.js';
import { registerMyEmailRoutes } from './emails.js';

/** The signed-in user's own account: `me/get`, `me/update` and `me/emails/*`. */
export function registerMeRoutes(app: Hono<AppEnv>, deps: Deps): void {
  const { db, clock } = deps;

  // The user comes with the session, in the resolver's one query.
  bindFrontend(
    app,
    deps,
    ops.getMe,
    async (_input, principal, c) => ({ user: presentUser(resolvedSessionOf(c)?.user ?? (await getUser(db, principal.userId))) }),
    { preloadUser: true },
  );

  bindFrontend(app, deps, ops.updateMe, async (input, principal) => {
    // Only these four fields: the strict input schema refuses metadata, passwords and anything else.
    const changes = { firstName: input.firstName, lastName: input.lastName, username: input.username, imageUrl: input.imageUrl };
    if (!(await updateUser(db, principal.userId, changes, clock.now()))) throw new ApiError('unauthenticated');
    return { user: presentUser(await getUser(db, principal.userId)) };
  });

  registerMyEmailRoutes(app, deps);
}
