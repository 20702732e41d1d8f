import type { Context } from 'hono';
import type { Deps } from '../../deps.js';
import type { AppEnv, TokenPrincipal, UserPrincipal } from '../../http/context.js';

/** Resolve the frontend caller from the session cookie or bearer token (filled in by the sessions work). */
export function createPrincipalResolver(_deps: Omit<Deps, 'resolvePrincipal'>) {
  return async (_c: Context<AppEnv>): Promise<UserPrincipal | TokenPrincipal | undefined> => undefined;
}
