import { listOutbox } from '@gatehouse/contract';
import type { Hono } from 'hono';
import { decodeCursor, toPage } from '../../db/pagination.js';
import type { Deps } from '../../deps.js';
import { bindBackend } from '../../http/bind.js';
import type { AppEnv } from '../../http/context.js';
import { listOutboxMessages } from './outbox.js';
import { presentOutboxMessage } from './present.js';

/** The email outbox, for development: backend `GET /outbox`. */
export function registerEmailRoutes(app: Hono<AppEnv>, deps: Deps): void {
  bindBackend(app, deps, listOutbox, async ({ query }) => {
    const rows = await listOutboxMessages(deps.db, { ...query, after: decodeCursor(query.cursor) });
    return toPage(rows, query.limit, (r) => r.id, presentOutboxMessage);
  });
}
