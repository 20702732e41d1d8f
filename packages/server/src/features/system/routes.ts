import { buildOpenApiDocument } from '@gatehouse/contract';
import type { Hono } from 'hono';
import { sql } from 'kysely';
import type { Db } from '../../db/index.js';
import type { Deps } from '../../deps.js';
import type { AppEnv } from '../../http/context.js';
import { databaseUnavailable } from '../../http/errors.js';
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
<li><a href="/console">Console</a>: manage users, organizations and keys in the browser (sign in with a secret key)</li>
<li><a href="/playground">Playground</a>: the React widgets (sign-in, sign-up, organizations) against this server</li>
<li><a href="/docs">API reference</a>: every operation of the backend API (<code>/backend/v1</code>) and the frontend API (<code>/v1</code>)</li>
<li><a href="/openapi.json">OpenAPI document</a>, for generating clients</li>
<li><a href="/healthz">Health check</a></li>
</ul>
</body></html>`;

/** A health check answers within this, even when connecting to the database hangs. */
const HEALTH_TIMEOUT_MS = 2000;

/** `select 1`, or a rejection after `ms`: the health check reports a hung database instead of hanging with it. */
async function pingDatabase(db: Db, ms: number): Promise<void> {
  const ping = sql`select 1`.execute(db);
  // Once the timeout has answered, a late failure of the ping has nobody to report to.
  ping.catch(() => {});
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`The database did not answer within ${ms} ms.`)), ms);
  });
  try {
    await Promise.race([ping, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function registerSystemRoutes(app: Hono<AppEnv>, deps: Deps): void {
  // Built on the first request for it, then kept: the contract does not change while the process
  // runs, and converting every schema (about 0.5 s) would otherwise be paid by every start.
  let openapi: ReturnType<typeof buildOpenApiDocument> | undefined;
  let docsPage: string | undefined;
  const openapiDocument = () => {
    openapi ??= buildOpenApiDocument({ serverUrl: deps.config.publicUrl });
    return openapi;
  };
  const docs = () => {
    docsPage ??= renderDocsPage(openapiDocument());
    return docsPage;
  };

  app.get('/healthz', async (c) => {
    try {
      await pingDatabase(deps.db, HEALTH_TIMEOUT_MS);
    } catch (error) {
      c.get('log').error({ err: error }, 'health check: database unreachable');
      // 503 with Retry-After, whatever the cause: a load balancer takes this process out of
      // rotation until the database answers again, and puts it back without a restart.
      throw databaseUnavailable();
    }
    return c.json({ status: 'ok', database: deps.engine });
  });
  app.get('/openapi.json', (c) => c.json(openapiDocument()));
  app.get('/docs', (c) => c.html(docs()));
  app.get('/', (c) => c.html(ROOT_PAGE));
}
