import type { Hono } from 'hono';
import type { Deps } from '../../deps.js';
import type { AppEnv } from '../../http/context.js';

/** Session JWTs for the SaaS team's servers: signing keys, JWKS, `session/token`, `/sessions/verify`. */
export function registerSessionTokenRoutes(_app: Hono<AppEnv>, _deps: Deps): void {}
