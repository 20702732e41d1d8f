import type { Hono } from 'hono';
import type { Deps } from '../../deps.js';
import type { AppEnv } from '../../http/context.js';
import { registerAuditRoutes } from '../audit/routes.js';
import { registerMemberRoutes } from './members-routes.js';
import { registerOrganizationCoreRoutes } from './organizations-routes.js';
import { registerPermissionRoutes } from './permissions-routes.js';
import { registerRoleRoutes } from './roles-routes.js';
import { registerActiveOrganizationRoutes } from './session-routes.js';

/** Organizations, members, roles, permissions and the audit log, on both APIs. */
export function registerOrganizationRoutes(app: Hono<AppEnv>, deps: Deps): void {
  registerOrganizationCoreRoutes(app, deps);
  registerMemberRoutes(app, deps);
  registerRoleRoutes(app, deps);
  registerPermissionRoutes(app, deps);
  registerAuditRoutes(app, deps);
  registerActiveOrganizationRoutes(app, deps);
}
