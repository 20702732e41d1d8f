import { readFile, stat } from 'node:fs/promises';
import type { Context, Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { readBodyText } from '../../http/body.js';
import type { AppEnv } from '../../http/context.js';
import { ApiError } from '../../http/errors.js';
import { secretsEqual } from '../../security/tokens.js';
import * as keys from '../keys/queries.js';
import {
  assertSameOrigin,
  CONSOLE_COOKIE,
  type ConsoleSession,
  clearConsoleCookie,
  closeConsoleSession,
  closeConsoleSessionOfToken,
  consolePrincipal,
  consoleRequests,
  openConsoleSession,
  requireConsoleCsrf,
  requireConsoleSession,
  setConsoleCookie,
} from './sessions.js';

/** Where `npm run build` puts the console bundle (apps/console/dist/assets), from src/ or dist/ alike. */
const ASSETS = new URL('../../../../../apps/console/dist/assets/', import.meta.url);

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
 * The console's policy: its bundle (scripts, styles, fonts) and API calls to this origin only.
 * Inline styles stay allowed because the dialogs' scroll lock injects a style element.
 */
export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Gatehouse console</title>
<link rel="stylesheet" href="/console/assets/console.css">
<script type="module" src="/console/assets/console.js"></script>
</head><body><div id="root"></div>
<noscript>The console needs JavaScript.</noscript>
</body></html>`;

const MISSING = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Gatehouse console</title></head>
<body><h1>The console is not built</h1><p>Run <code>npm run build</code> (or <code>npm start</code>, which builds) in the Gatehouse checkout.</p></body></html>`;

async function isBuilt(): Promise<boolean> {
  try {
    return (await stat(new URL('console.js', ASSETS))).isFile();
  } catch {
    return false;
  }
}

async function page(c: Context<AppEnv>): Promise<Response> {
  const built = await isBuilt();
  c.header('Content-Security-Policy', CONSOLE_CSP);
  return c.html(built ? PAGE : MISSING, built ? 200 : 503);
}

const SignInBody = z.strictObject({ secretKey: z.string().min(1).max(512) });

/** What the console app learns about its session: the CSRF proof (kept in memory only) and the ends. */
function present(session: ConsoleSession) {
  return {
    csrfToken: session.csrfToken,
    keyId: session.keyId,
    createdAt: session.createdAt.toISOString(),
    expiresAt: session.expiresAt.toISOString(),
  };
}

async function readSignIn(c: Context<AppEnv>): Promise<string> {
  if (!/^application\/json\s*(;|$)/i.test(c.req.header('content-type') ?? '')) {
    throw new ApiError('invalid_request', 'Send a JSON body with Content-Type: application/json.');
  }
  let value: unknown;
  try {
    value = JSON.parse(await readBodyText(c));
  } catch {
    throw new ApiError('invalid_request', 'The body is not valid JSON.');
  }
  const parsed = SignInBody.safeParse(value);
  if (!parsed.success) throw new ApiError('invalid_request', 'Send { "secretKey": "sk_live_…" }.');
  return parsed.data.secretKey.trim();
}

/** The key's id when `secret` is GATEHOUSE_SECRET_KEY or a stored key that is not revoked. */
async function checkKey(deps: Deps, secret: string): Promise<string | undefined> {
  if (deps.config.secretKey && secretsEqual(secret, deps.config.secretKey)) return 'env';
  return (await keys.findActiveSecretKey(deps.db, secret))?.id;
}

/**
 * `/console`: the admin console's page and bundle, and its session. `POST /console/session`
 * exchanges a secret key for the console cookie (wrong keys are limited per IP, `consoleSignInIp`);
 * `GET` gives a reloaded page its CSRF proof back; `DELETE` signs out. The backend API for the
 * console is `/console/api/*` (see `consoleApiGuard`).
 */
export function registerConsoleRoutes(app: Hono<AppEnv>, deps: Deps): void {
  app.post('/console/session', async (c) => {
    assertSameOrigin(c, deps);
    const secret = await readSignIn(c);
    const ip = c.get('ip');
    await deps.rateLimiter.consume('consoleSignInIp', ip);
    const keyId = await checkKey(deps, secret);
    if (!keyId) {
      throw new ApiError(
        'unauthenticated',
        'That secret key is not valid or was revoked. Paste a key that starts with sk_live_ or sk_test_.',
      );
    }
    await deps.rateLimiter.refund('consoleSignInIp', ip);
    // A new session every sign-in (never one the browser brought along); the one it replaces ends.
    const previous = getCookie(c, CONSOLE_COOKIE);
    if (previous) await closeConsoleSessionOfToken(deps.db, previous);
    const { token, session } = await openConsoleSession(deps.db, { id: keyId, secret }, deps.clock.now());
    setConsoleCookie(c, deps, token);
    c.get('log').info({ consoleSession: session.id, keyId }, 'console sign-in');
    return c.json(present(session));
  });

  app.get('/console/session', async (c) => {
    assertSameOrigin(c, deps);
    return c.json(present(await requireConsoleSession(c, deps)));
  });

  app.delete('/console/session', async (c) => {
    const session = await requireConsoleCsrf(c, deps);
    await closeConsoleSession(deps.db, session.id);
    clearConsoleCookie(c, deps);
    return c.json({ signedOut: true });
  });

  // The backend API for the console: checked here, then dispatched in-process to the same
  // operation under /backend/v1, as the admin principal of the key that opened the session.
  app.all('/console/api/*', async (c) => {
    const principal = await consolePrincipal(c, deps);
    const url = new URL(c.req.url);
    url.pathname = `/backend/v1${url.pathname.slice('/console/api'.length)}`;
    const headers = new Headers({ 'x-request-id': c.get('requestId') });
    for (const name of ['content-type', 'accept', 'user-agent']) {
      const value = c.req.header(name);
      if (value !== undefined) headers.set(name, value);
    }
    const method = c.req.method;
    const body = method === 'GET' || method === 'HEAD' ? undefined : await readBodyText(c);
    const inner = new Request(url, { method, headers, ...(body !== undefined ? { body } : {}) });
    consoleRequests.set(inner, principal);
    return app.fetch(inner, c.env);
  });

  app.get('/console/assets/:name', async (c) => {
    const name = c.req.param('name');
    if (!ASSET_NAME.test(name)) return c.notFound();
    let body: Buffer;
    try {
      body = await readFile(new URL(name, ASSETS));
    } catch {
      return c.notFound();
    }
    const type = TYPES[name.slice(name.lastIndexOf('.'))] as string;
    return c.body(new Uint8Array(body), 200, { 'Content-Type': type, 'Cache-Control': 'no-cache' });
  });
  app.get('/console', page);
  // Every page path (not the API, the session or the assets) gets the same page, which routes in the browser.
  app.get('/console/*', async (c, next) => {
    const path = c.req.path;
    if (path.startsWith('/console/api/') || path.startsWith('/console/assets/')) return next();
    return page(c);
  });
}
