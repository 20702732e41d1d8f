/** Options of {@link createConnector}. */
export interface ConnectorOptions {
  /** Where Gatehouse listens, as your server reaches it (e.g. `http://127.0.0.1:8787` or `https://auth.internal`). */
  gatehouseUrl: string;
  /** The path your app mounts the connector at; requests must start with it. Default `/api/auth`. */
  mountPath?: string;
  /**
   * Origins whose pages may make state-changing calls through the connector. Default: the origin of
   * `publicUrl` when given, else the origin each request was addressed to (its `Host`).
   */
  allowedOrigins?: string[];
  /**
   * Your app's public URL (e.g. `https://app.example.com`): its origin is then the one allowed.
   * Give it behind a proxy that rewrites `Host`, or to refuse pages served under any other host
   * name that resolves to your server (DNS rebinding).
   */
  publicUrl?: string;
  /**
   * The `Origin` Gatehouse sees on forwarded calls: one it allows. Default: the origin of
   * `gatehouseUrl`, which Gatehouse allows when it is its `PUBLIC_URL`.
   */
  forwardOrigin?: string;
  /**
   * The browser's address, when your server knows it (e.g. from the socket). It is sent to Gatehouse
   * as `X-Forwarded-For`, so that rate limits count per browser rather than per app server (set
   * `TRUST_PROXY=1` on Gatehouse). Without it no `X-Forwarded-For` is forwarded: one the browser sent
   * could be forged.
   */
  clientIp?: (request: Request) => string | undefined;
  /**
   * Send social sign-in's provider back through this connector, to `<publicUrl or the request's
   * origin><mountPath>/v1/auth/oauth/callback`, so the session cookie lands on your app's origin.
   * List that URL in Gatehouse's `OAUTH_CALLBACK_URLS` and register it at each provider. Default
   * `true`; `false` keeps Gatehouse's own callback (a connector on Gatehouse's own origin).
   */
  oauthCallback?: boolean;
  /** A `fetch` to use instead of the global one. */
  fetch?: typeof globalThis.fetch;
}

/** A fetch-style handler: what Hono, Next.js route handlers, Remix, Bun and Deno mount directly. */
export type Connector = (request: Request) => Promise<Response>;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Request headers forwarded to Gatehouse; everything else (the app's own auth, hop-by-hop headers) stays behind. */
const FORWARDED_REQUEST_HEADERS = ['accept', 'accept-language', 'authorization', 'content-type', 'user-agent', 'x-request-id'];

/** Response headers a browser gets back; `Gatehouse-Session-Token` is never among them. */
const FORWARDED_RESPONSE_HEADERS = ['content-type', 'cache-control', 'retry-after', 'x-request-id', 'www-authenticate'];

/** The only cookie Gatehouse reads; the app's other cookies are none of its business. */
const SESSION_COOKIE = '__session';

/** Social sign-in's browser navigations, which the connector serves as GET, and its browser-binding cookie. */
const OAUTH_START = '/v1/auth/oauth/start';
const OAUTH_CALLBACK = '/v1/auth/oauth/callback';
const OAUTH_COOKIE = '__gatehouse_oauth';

/** A start's JSON body is two ids and two URLs; anything far larger is not one. */
const MAX_START_BODY = 16 * 1024;

function refusal(status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  // The frontend API's envelope, so the SDK reports the code like any other Gatehouse error.
  const body = { status, message, data: null, session: null, errors: [{ code, message }] };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
  });
}

/** The named cookies of a `Cookie` header, as a `Cookie` header, or `undefined` when none is there. */
function pickCookies(header: string | null, names: readonly string[]): string | undefined {
  const picked: string[] = [];
  for (const part of (header ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name !== undefined && names.includes(name)) picked.push(`${name}=${value.join('=')}`);
  }
  return picked.length > 0 ? picked.join('; ') : undefined;
}

/**
 * A start's JSON body with `callbackUrl` set when the page gave none; `undefined` when it is not a
 * JSON object (Gatehouse then answers 400 on the body as sent).
 */
async function withCallbackUrl(request: Request, callbackUrl: string): Promise<string | undefined> {
  const text = await request.text();
  if (text.length > MAX_START_BODY) return undefined;
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return text;
    return JSON.stringify({ callbackUrl, ...body });
  } catch {
    return text;
  }
}

function trimSlashes(path: string): string {
  return path.replace(/\/+$/, '');
}

/**
 * Why a state-changing request may not pass, or `undefined` when it may. The connector speaks to
 * Gatehouse with an Origin Gatehouse allows, so it must do Gatehouse's CSRF check itself first:
 * the browser's `Origin` must be one of the app's, and a cross-site fetch metadata header refuses
 * it even so.
 */
function csrfRefusal(request: Request, allowed: ReadonlySet<string>): string | undefined {
  if (SAFE_METHODS.has(request.method)) return undefined;
  const site = request.headers.get('sec-fetch-site');
  if (site === 'cross-site' || site === 'same-site') return `A ${site} request may not call Gatehouse through the connector.`;
  const origin = request.headers.get('origin');
  // Browsers send Origin on every POST; without one we cannot tell a forged request from a real one.
  if (origin === null) return 'A state-changing request must carry an Origin header.';
  if (!allowed.has(origin)) return `Requests from ${origin} may not call Gatehouse through this connector.`;
  return undefined;
}

/**
 * A fetch handler that forwards Gatehouse's frontend API (`/v1/*`) from your app's own origin, so
 * the browser talks to one site and the `__session` cookie is your app's first-party cookie.
 *
 * ```ts
 * const connector = createConnector({ gatehouseUrl: 'http://127.0.0.1:8787' });
 * app.all('/api/auth/*', (c) => connector(c.req.raw)); // Hono
 * // <GatehouseProvider basePath="/api/auth">
 * ```
 *
 * It forwards the method, the JSON body, the `__session` cookie and the headers the API reads; it
 * refuses state-changing requests from other origins (403 `forbidden`) before Gatehouse sees them,
 * then rewrites `Origin` to one Gatehouse allows. It passes `Set-Cookie` back (host-only, so the
 * cookie belongs to your app) and never the header transport: the session token stays out of
 * page JavaScript.
 *
 * Social sign-in works through it too: a start asks Gatehouse to send the provider back to this
 * connector's `/v1/auth/oauth/callback` (see `oauthCallback`), the start and the callback pass as
 * GET navigations with their redirects, and the browser-binding cookie goes to the callback only.
 */
export function createConnector(options: ConnectorOptions): Connector {
  const target = new URL(options.gatehouseUrl);
  const base = trimSlashes(target.href);
  const mountPath = trimSlashes(options.mountPath ?? '/api/auth');
  const forwardOrigin = options.forwardOrigin ?? target.origin;
  const fixed = options.allowedOrigins ?? (options.publicUrl ? [new URL(options.publicUrl).origin] : undefined);
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const publicOrigin = options.publicUrl ? new URL(options.publicUrl).origin : undefined;
  const oauthCallback = options.oauthCallback ?? true;

  return async (request) => {
    const url = new URL(request.url);
    // The URL parser has already resolved `..` and `%2e%2e`, so the rest cannot climb out of /v1.
    const rest = url.pathname.startsWith(`${mountPath}/`) ? url.pathname.slice(mountPath.length) : undefined;
    if (rest === undefined || !(rest === '/v1' || rest.startsWith('/v1/'))) {
      return refusal(404, 'not_found', `The connector forwards ${mountPath}/v1/* only.`);
    }
    const refused = csrfRefusal(request, new Set(fixed ?? [url.origin]));
    if (refused) return refusal(403, 'forbidden', refused);
    // Social sign-in's top-level navigations: the start and the provider's return.
    const navigation = request.method === 'GET' && (rest === OAUTH_START || rest === OAUTH_CALLBACK);
    const ownCallback = `${publicOrigin ?? url.origin}${mountPath}${OAUTH_CALLBACK}`;
    let search = url.search;
    let body: BodyInit | null | undefined = request.body;
    if (oauthCallback && rest === OAUTH_START) {
      if (request.method === 'GET') {
        const query = new URLSearchParams(url.search);
        if (!query.has('callbackUrl')) query.set('callbackUrl', ownCallback);
        search = `?${query.toString()}`;
      } else if (request.method === 'POST') {
        const rewritten = await withCallbackUrl(request, ownCallback);
        if (rewritten === undefined) return refusal(413, 'payload_too_large', 'The request body is too large.');
        body = rewritten;
      }
    }

    const headers = new Headers();
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = request.headers.get(name);
      if (value !== null) headers.set(name, value);
    }
    // The browser-binding cookie only to the callback that checks it.
    const cookie = pickCookies(request.headers.get('cookie'), rest === OAUTH_CALLBACK ? [SESSION_COOKIE, OAUTH_COOKIE] : [SESSION_COOKIE]);
    if (cookie) headers.set('cookie', cookie);
    if (request.headers.has('origin')) headers.set('origin', forwardOrigin);
    const ip = options.clientIp?.(request);
    if (ip) headers.set('x-forwarded-for', ip);

    let upstream: Response;
    try {
      upstream = await fetchImpl(`${base}${rest}${search}`, {
        method: request.method,
        headers,
        redirect: 'manual',
        ...(SAFE_METHODS.has(request.method) ? {} : { body, duplex: 'half' }),
      } as RequestInit);
    } catch {
      return refusal(503, 'unavailable', 'Gatehouse could not be reached.', { 'retry-after': '5' });
    }

    const out = new Headers();
    for (const name of FORWARDED_RESPONSE_HEADERS) {
      const value = upstream.headers.get(name);
      if (value !== null) out.set(name, value);
    }
    // On to the provider, or back to the app: the only redirects Gatehouse's frontend API makes.
    const location = upstream.headers.get('location');
    if (navigation && location !== null) out.set('location', location);
    for (const setCookie of upstream.headers.getSetCookie()) out.append('set-cookie', setCookie);
    return new Response(upstream.body, { status: upstream.status, statusText: upstream.statusText, headers: out });
  };
}
