import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Config } from '../../config.js';
import type { AppEnv } from '../../http/context.js';

/** The browser session cookie. */
export const SESSION_COOKIE = '__session';
/** Request header by which a non-browser client asks for the token in a header instead of a cookie. */
export const TOKEN_TRANSPORT_HEADER = 'gatehouse-token-transport';
/** Response header carrying a new session token for the header transport. */
export const SESSION_TOKEN_HEADER = 'Gatehouse-Session-Token';

function secure(config: Config): boolean {
  return config.publicUrl.startsWith('https:');
}

/** True when the client asked for the header transport (mobile, CLI, server). */
export function wantsHeaderTransport(c: Context<AppEnv>): boolean {
  return c.req.header(TOKEN_TRANSPORT_HEADER)?.trim().toLowerCase() === 'header';
}

/**
 * Hand a new session token to the client: in the `Gatehouse-Session-Token` header and no cookie
 * when the request asked for the header transport, else as the `__session` cookie (HttpOnly, so
 * browser JavaScript never sees it; SameSite=Lax; Secure under https). The cookie lives as long as
 * the session could; the server enforces the idle expiry.
 */
export function issueSessionToken(c: Context<AppEnv>, config: Config, token: string): void {
  if (wantsHeaderTransport(c)) {
    c.header(SESSION_TOKEN_HEADER, token);
    return;
  }
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    secure: secure(config),
    maxAge: config.sessionAbsoluteTtlSeconds,
  });
}

/** Tell the client its token is gone: an empty header for the header transport, an expired cookie otherwise. */
export function clearSessionToken(c: Context<AppEnv>, config: Config): void {
  if (wantsHeaderTransport(c) || c.req.header('authorization')) c.header(SESSION_TOKEN_HEADER, '');
  if (getCookie(c, SESSION_COOKIE) !== undefined) {
    deleteCookie(c, SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'Lax', secure: secure(config) });
  }
}

/**
 * The session token a request carries, and how: `Authorization: Bearer` first, then the cookie.
 * Never from the query string (it would end up in logs and Referer headers).
 */
export function readCredential(c: Context<AppEnv>): { kind: 'bearer' | 'cookie'; value: string } | { kind: 'malformed' } | undefined {
  const header = c.req.header('authorization');
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match ? { kind: 'bearer', value: match[1] as string } : { kind: 'malformed' };
  }
  const cookie = getCookie(c, SESSION_COOKIE);
  return cookie ? { kind: 'cookie', value: cookie } : undefined;
}
