import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Deps } from '../deps.js';
import type { AppEnv } from '../http/context.js';
import { ApiError } from '../http/errors.js';

/** How long browsers may cache a preflight answer (seconds). */
const PREFLIGHT_MAX_AGE = 600;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * An allowed origin: in ALLOWED_ORIGINS (PUBLIC_URL's is always there). Never the request's own
 * Host: under DNS rebinding a hostile page's requests reach us with its Host and Origin both.
 */
function isAllowedOrigin(allowed: ReadonlySet<string>, origin: string): boolean {
  return allowed.has(origin);
}

/**
 * CSRF protection of the frontend API for cookie sessions. Hono's `csrf()` does not look at JSON
 * requests, so this is our own: every state-changing request must be JSON (bindFrontend refuses
 * anything else with 400 before any work) and
 * - a request with an `Origin` must come from an allowed origin (this also stops login CSRF);
 * - a request authenticated by the `__session` cookie must carry such an `Origin`: without one we
 *   cannot tell a cross-site request from a same-site one, so it is refused.
 * Bearer-token clients (mobile, CLI, servers) send no Origin and are not affected.
 */
export function csrfGuard(deps: Deps): MiddlewareHandler<AppEnv> {
  const allowed = new Set(deps.config.allowedOrigins);
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next();
    const origin = c.req.header('origin');
    if (origin !== undefined && !isAllowedOrigin(allowed, origin)) {
      throw new ApiError('forbidden', `Requests from ${origin} are not allowed. Add it to ALLOWED_ORIGINS.`);
    }
    const cookieSession = c.req.header('authorization') === undefined && getCookie(c, '__session') !== undefined;
    if (cookieSession && origin === undefined) {
      throw new ApiError('forbidden', 'A request made with the session cookie must carry an Origin header.');
    }
    return next();
  };
}

const ALLOW_METHODS = 'GET,POST,OPTIONS';
const ALLOW_HEADERS = 'content-type,authorization,x-request-id';
const EXPOSE_HEADERS = 'X-Request-Id,Retry-After';

/**
 * CORS of the frontend API: only ALLOWED_ORIGINS, with credentials (the cookie), preflight cached,
 * and the request-id and Retry-After headers readable by the client. Browsers get the cookie only:
 * `Gatehouse-Token-Transport` is not an allowed request header and `Gatehouse-Session-Token` is not
 * exposed, so the raw session token never reaches a cross-origin page's JavaScript; the
 * header transport is for mobile, CLI and server clients, which CORS does not restrict.
 *
 * Our own rather than hono/cors, which sets its headers on `c.res` before the handler runs: that
 * builds a Response early, so Hono copies it into the handler's and the Node adapter loses its fast
 * path, on every frontend request (measured: about a tenth of the CPU of `session/get`). Headers
 * given to `c.header()` before there is a response are merged into the handler's when it is made.
 */
export function frontendCors(deps: Deps): MiddlewareHandler<AppEnv> {
  const allowed = new Set(deps.config.allowedOrigins);
  return async (c, next) => {
    const origin = c.req.header('origin');
    const allowOrigin = origin !== undefined && allowed.has(origin) ? origin : undefined;
    if (c.req.method === 'OPTIONS') {
      const headers: Record<string, string> = {
        'Access-Control-Allow-Credentials': 'true',
        'Access-Control-Expose-Headers': EXPOSE_HEADERS,
        'Access-Control-Max-Age': String(PREFLIGHT_MAX_AGE),
        'Access-Control-Allow-Methods': ALLOW_METHODS,
        'Access-Control-Allow-Headers': ALLOW_HEADERS,
        Vary: 'Origin, Access-Control-Request-Headers',
      };
      if (allowOrigin) headers['Access-Control-Allow-Origin'] = allowOrigin;
      return c.body(null, 204, headers);
    }
    if (allowOrigin) c.header('Access-Control-Allow-Origin', allowOrigin);
    c.header('Access-Control-Allow-Credentials', 'true');
    c.header('Access-Control-Expose-Headers', EXPOSE_HEADERS);
    c.header('Vary', 'Origin');
    return next();
  };
}

/** Both, in order: mount with `app.use('/v1/*',...frontendSecurity(deps))`. */
export function frontendSecurity(deps: Deps): MiddlewareHandler<AppEnv>[] {
  return [frontendCors(deps), csrfGuard(deps)];
}
