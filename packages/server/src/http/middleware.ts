import { randomBytes } from 'node:crypto';
import { errorStatus } from '@gatehouse/contract';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, ErrorHandler, MiddlewareHandler, NotFoundHandler } from 'hono';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { envelope, envelopeSessionOf } from './bind.js';
import { refuseDeclaredOversize } from './body.js';
import type { AppEnv } from './context.js';
import { ApiError, fromDatabaseError, fromZodError } from './errors.js';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

const REQUEST_ID_BYTES = 12;
let idPool = Buffer.alloc(0);
let idOffset = 0;

/**
 * `req_` and 24 hex digits. Request ids correlate log lines and answers; they are not secrets, so
 * they are cut from a pooled random buffer: one `getrandom` call per 256 requests instead of one
 * per request (measured: a twentieth of the CPU of `me/get`).
 */
function newRequestId(): string {
  if (idOffset + REQUEST_ID_BYTES > idPool.length) {
    idPool = randomBytes(REQUEST_ID_BYTES * 256);
    idOffset = 0;
  }
  const id = idPool.toString('hex', idOffset, idOffset + REQUEST_ID_BYTES);
  idOffset += REQUEST_ID_BYTES;
  return `req_${id}`;
}

/** The client address: the socket's, or the one TRUST_PROXY hops in from the right of X-Forwarded-For. */
export function clientIp(c: Context, trustProxy: number): string {
  if (trustProxy > 0) {
    const hops = (c.req.header('x-forwarded-for') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const chosen = hops[Math.max(0, hops.length - trustProxy)];
    if (chosen) return chosen;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // app.request() in unit tests has no socket
  }
}

/**
 * A request id on every response and log line (the caller's `X-Request-Id` when well-formed),
 * the client ip, and one access log line per request. Query strings are never logged: they may
 * carry tokens.
 */
export function requestContext(log: Logger, trustProxy: number): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : newRequestId();
    const child = log.child({ reqId: requestId });
    const ip = clientIp(c, trustProxy);
    c.set('requestId', requestId);
    c.set('log', child);
    c.set('ip', ip);
    c.set('principal', undefined);
    c.set('envelopeSession', undefined);
    // Before the response exists: a header added afterwards makes Hono rebuild the Response.
    c.header('X-Request-Id', requestId);
    const started = performance.now();
    await next();
    child.info(
      { method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started), ip },
      'request',
    );
  };
}

/** The policy of Gatehouse's own HTML pages: nothing loads from anywhere, styles are inline. A route may set its own
 * (the playground, whose bundle loads from this origin). */
export const HTML_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * Security headers on every response: no MIME sniffing, no Referer (tokens travel in URL
 * fragments and must not leak through links), no caching of API answers (they carry personal
 * data and one-time secrets) unless a route chose its own policy (the JWKS), and a strict
 * Content-Security-Policy on HTML (HTML_CSP unless the route chose its own).
 */
export function securityHeaders(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    c.res.headers.set('X-Content-Type-Options', 'nosniff');
    c.res.headers.set('Referrer-Policy', 'no-referrer');
    if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'no-store');
    if (c.res.headers.get('Content-Type')?.startsWith('text/html')) {
      if (!c.res.headers.has('Content-Security-Policy')) c.res.headers.set('Content-Security-Policy', HTML_CSP);
      c.res.headers.set('X-Frame-Options', 'DENY');
    }
  };
}

/**
 * Bodies declared over 64 KiB → 413 on every route, before routing. A body that does not declare
 * its length (chunked) is counted as it is read (`readBodyText`), and refused once past the limit.
 */
export function limitBody(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    refuseDeclaredOversize(c);
    await next();
  };
}

function isFrontend(c: Context): boolean {
  return c.req.path === '/v1' || c.req.path.startsWith('/v1/');
}

/** Write an error in the shape of the API the request went to. */
export function errorResponse(c: Context<AppEnv>, error: ApiError): Response {
  for (const [name, value] of Object.entries(error.headers ?? {})) c.header(name, value);
  c.header('X-Request-Id', c.get('requestId'));
  const status = errorStatus[error.code];
  if (isFrontend(c)) {
    const session = c.get('envelopeSession');
    return c.json(
      envelope(status, null, session !== undefined ? session : envelopeSessionOf(c.get('principal')), [error.toBody()], error.message),
      status,
    );
  }
  return c.json({ errors: [error.toBody()] }, status);
}

/**
 * The one error mapper: ApiError as is, zod → 400, constraint violations → 409/404/400,
 * unstorable characters → 400, anything else → 500 `internal` with no stack or SQL in the body
 * (they go to the log).
 */
export const onError: ErrorHandler<AppEnv> = (error, c) => {
  let apiError: ApiError;
  if (error instanceof ApiError) apiError = error;
  else if (error instanceof ZodError) apiError = fromZodError(error, 'body');
  else {
    apiError = fromDatabaseError(error) ?? new ApiError('internal');
    if (apiError.code === 'internal') (c.get('log') ?? console).error({ err: error }, 'unhandled error');
  }
  return errorResponse(c, apiError);
};

/** Unknown routes: 404 in the same error shape as everything else. */
export const onNotFound: NotFoundHandler<AppEnv> = (c) =>
  errorResponse(c, new ApiError('not_found', `No route for ${c.req.method} ${c.req.path}.`));
