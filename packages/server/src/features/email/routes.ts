import type { Hono } from 'hono';
import type { Deps } from '../../deps.js';
import type { AppEnv } from '../../http/context.js';

/** The email outbox, for development: backend `GET /outbox`. */
export function registerEmailRoutes(_app: Hono<AppEnv>, _deps: Deps): void {}
