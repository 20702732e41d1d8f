import type { Hono } from 'hono';
import type { Deps } from '../../deps.js';
import type { AppEnv } from '../../http/context.js';

/** Sign-up, sign-in, sessions and the session JWT (frontend `auth/*`, `session/*`, `me/*`). */
export function registerAuthRoutes(_app: Hono<AppEnv>, _deps: Deps): void {}
