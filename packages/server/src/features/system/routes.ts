import { buildOpenApiDocument } from '@gatehouse/contract';
import type { Hono } from 'hono';
import { sql } from 'kysely';
import type { Deps } from '../../deps.js';
import type { AppEnv } from '../../http/context.js';
import { ApiError } from '../../http/errors.js';
import { renderDocsPage } from './docs-page.js';

/** `GET /` in a browser: where to go from here, instead of a bare 404. */
const ROOT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Gatehouse</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1f2328}a{color:#0969da}code{background:#f6f8fa;padding:.1em .3em;border-radius:4px}</style>
</head><body>
<h1>Gatehouse is running</h1>
<p>This is the identity and tenancy server. From here:</p>
<ul>
<li><a href="/docs">API reference</a>: every operation of the backend API (<code>/backend/v1</code>) and the frontend API (<code>/v1</code>)</li>
<li><a href="/openapi.json">OpenAPI document</a>, for generating clients</li>
<li><a href="/healthz">Health check</a></li>
</ul>
</body></html>`;

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
  app.get('/', (c) => c.html(ROOT_PAGE));
}
