import { buildOpenApiDocument } from '@gatehouse/contract';
import type { Hono } from 'hono';
import { sql } from 'kysely';
import type { Deps } from '../../deps.js';
import type { AppEnv } from '../../http/context.js';
import { ApiError } from '../../http/errors.js';
import { renderDocsPage } from './docs-page.js';

export function registerSystemRoutes(app: Hono<AppEnv>, deps: Deps): void {
  // Built once at start: the contract does not change while the process runs.
  const openapi = buildOpenApiDocument({ serverUrl: deps.config.publicUrl });
  const docsPage = renderDocsPage(openapi);

  app.get('/healthz', async (c) => {
    try {
      await sql`select 1`.execute(deps.db);
    } catch (error) {
      c.get('log').error({ err: error }, 'health check: database unreachable');
      throw new ApiError('internal', 'The database is unreachable.');
    }
    return c.json({ status: 'ok', database: deps.engine });
  });
  app.get('/openapi.json', (c) => c.json(openapi));
  app.get('/docs', (c) => c.html(docsPage));
}
