import { readFile, stat } from 'node:fs/promises';
import { createConnector } from '@gatehouse/sdk';
import type { Context, Hono } from 'hono';
import type { Deps } from '../../deps.js';
import type { AppEnv } from '../../http/context.js';

/** Where the playground's Provider points: the SDK's connector, mounted on this server. */
export const PLAYGROUND_API = '/playground/api';

/** Where `npm run build` puts the playground bundle (apps/playground/dist/assets), from src/ or dist/ alike. */
const ASSETS = new URL('../../../../../apps/playground/dist/assets/', import.meta.url);

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
};

/** Asset names are flat and plain, so a request cannot climb out of the assets folder. */
const ASSET_NAME = /^[\w-]+(\.[\w-]+)*\.(js|css|map|woff2?)$/;

/**
 * The playground's policy: the HTML policy plus its own bundle (scripts, styles and fonts from
 * this origin) and API calls to this origin. Inline styles stay allowed, as in HTML_CSP, because the
 * dialogs' scroll lock injects a style element.
 */
export const PLAYGROUND_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Gatehouse playground</title>
<link rel="stylesheet" href="/playground/assets/playground.css">
<script type="module" src="/playground/assets/playground.js"></script>
</head><body><div id="root"></div>
<noscript>The playground needs JavaScript.</noscript>
</body></html>`;

const MISSING = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Gatehouse playground</title></head>
<body><h1>The playground is not built</h1><p>Run <code>npm run build</code> (or <code>npm start</code>, which builds) in the Gatehouse checkout.</p></body></html>`;

async function isBuilt(): Promise<boolean> {
  try {
    return (await stat(new URL('playground.js', ASSETS))).isFile();
  } catch {
    return false;
  }
}

async function page(c: Context<AppEnv>): Promise<Response> {
  const built = await isBuilt();
  c.header('Content-Security-Policy', PLAYGROUND_CSP);
  return c.html(built ? PAGE : MISSING, built ? 200 : 503);
}

/**
 * `/playground`: the widgets against this server, same origin (so the `__session` cookie and the
 * CSRF Origin check work with no configuration). `/playground/accept` is the default
 * `INVITATION_URL`; every path under /playground gets the same page, which routes in the browser.
 *
 * The widgets talk to `/playground/api`, the SDK's `createConnector` mounted here, as an app would
 * mount it: it does its own CSRF check against ALLOWED_ORIGINS, then forwards to this server's
 * `/v1` in-process (no network hop), with the socket of the browser's request, so rate limits and
 * the audit log still see the browser's address.
 */
export function registerPlaygroundRoutes(app: Hono<AppEnv>, deps: Deps): void {
  const publicUrl = deps.config.publicUrl;
  // The frontend API is POST only (one operation per path), so that is all the connector serves here.
  app.post(`${PLAYGROUND_API}/v1/*`, (c) => {
    const connector = createConnector({
      gatehouseUrl: publicUrl,
      mountPath: PLAYGROUND_API,
      allowedOrigins: deps.config.allowedOrigins,
      // Same origin as Gatehouse: the provider comes back to Gatehouse's own callback.
      oauthCallback: false,
      fetch: (input, init) => Promise.resolve(app.fetch(new Request(input, init), c.env)),
    });
    return connector(c.req.raw);
  });
  app.get('/playground/assets/:name', async (c) => {
    const name = c.req.param('name');
    if (!ASSET_NAME.test(name)) return c.notFound();
    let body: Buffer;
    try {
      body = await readFile(new URL(name, ASSETS));
    } catch {
      return c.notFound();
    }
    const type = TYPES[name.slice(name.lastIndexOf('.'))] as string;
    // Revalidate every time: the names carry no hash, and a rebuilt bundle must show at once.
    return c.body(new Uint8Array(body), 200, { 'Content-Type': type, 'Cache-Control': 'no-cache' });
  });
  app.get('/playground', page);
  app.get('/playground/*', page);
}
