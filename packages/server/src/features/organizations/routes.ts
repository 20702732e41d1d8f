import type { Hono } from 'hono';
import type { Deps } from '../../deps.js';
import type { AppEnv } from '../../http/context.js';

/** Organizations, members, roles, permissions and the audit log, on both APIs. */
export function registerOrganizationRoutes(_app: Hono<AppEnv>, _deps: Deps): void {}
