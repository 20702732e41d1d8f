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

function refusal(status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  // The frontend API's envelope, so the SDK reports the code like any other Gatehouse error.
  const body = { status, message, data: null, session: null, errors: [{ code, message }] };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
  });
}

function sessionCookie(header: string | null): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return `${SESSION_COOKIE}=${value.join('=')}`;
  }
  return undefined;
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
 */
export function createConnector(options: ConnectorOptions): Connector {
  const target = new URL(options.gatehouseUrl);
  const base = trimSlashes(target.href);
  const mountPath = trimSlashes(options.mountPath ?? '/api/auth');
  const forwardOrigin = options.forwardOrigin ?? target.origin;
  const fixed = options.allowedOrigins ?? (options.publicUrl ? [new URL(options.publicUrl).origin] : undefined);
  const fetchImpl = options.fetch ?? globalThis.fetch;

  return async (request) => {
    const url = new URL(request.url);
    // The URL parser has already resolved `..` and `%2e%2e`, so the rest cannot climb out of /v1.
    const rest = url.pathname.startsWith(`${mountPath}/`) ? url.pathname.slice(mountPath.length) : undefined;
    if (rest === undefined || !(rest === '/v1' || rest.startsWith('/v1/'))) {
      return refusal(404, 'not_found', `The connector forwards ${mountPath}/v1/* only.`);
    }
    const refused = csrfRefusal(request, new Set(fixed ?? [url.origin]));
    if (refused) return refusal(403, 'forbidden', refused);

    const headers = new Headers();
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = request.headers.get(name);
      if (value !== null) headers.set(name, value);
    }
    const cookie = sessionCookie(request.headers.get('cookie'));
    if (cookie) headers.set('cookie', cookie);
    if (request.headers.has('origin')) headers.set('origin', forwardOrigin);
    const ip = options.clientIp?.(request);
    if (ip) headers.set('x-forwarded-for', ip);

    let upstream: Response;
    try {
      upstream = await fetchImpl(`${base}${rest}${url.search}`, {
        method: request.method,
        headers,
        redirect: 'manual',
        ...(SAFE_METHODS.has(request.method) ? {} : { body: request.body, duplex: 'half' }),
      } as RequestInit);
    } catch {
      return refusal(503, 'unavailable', 'Gatehouse could not be reached.', { 'retry-after': '5' });
    }

    const out = new Headers();
    for (const name of FORWARDED_RESPONSE_HEADERS) {
      const value = upstream.headers.get(name);
      if (value !== null) out.set(name, value);
    }
    for (const setCookie of upstream.headers.getSetCookie()) out.append('set-cookie', setCookie);
    return new Response(upstream.body, { status: upstream.status, statusText: upstream.statusText, headers: out });
  };
}
