import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Db } from '../../db/schema.js';
import type { Deps } from '../../deps.js';
import type { AdminPrincipal, AppEnv } from '../../http/context.js';
import { ApiError } from '../../http/errors.js';
import { randomSecret, secretsEqual, sha256 } from '../../security/tokens.js';

/** The console's cookie: HttpOnly, SameSite=Strict, scoped to /console, Secure under https. */
export const CONSOLE_COOKIE = 'gh_console';
/** The header carrying the CSRF proof on every console API call and on sign-out. */
export const CSRF_HEADER = 'x-console-csrf';
/** A console session ends after this long without a request… */
export const CONSOLE_IDLE_MS = 30 * 60 * 1000;
/** …and this long after sign-in, whatever happens. */
export const CONSOLE_ABSOLUTE_MS = 8 * 60 * 60 * 1000;
/** `last_seen_at` is written at most this often, so a busy console page does not write on every call. */
const TOUCH_EVERY_MS = 30 * 1000;

export interface ConsoleSession {
  id: string;
  csrfToken: string;
  keyId: string;
  createdAt: Date;
  /** The earlier of the idle end (from the last request) and the absolute end. */
  expiresAt: Date;
}

function secure(deps: Deps): boolean {
  return deps.config.publicUrl.startsWith('https:');
}

function idleEnd(lastSeen: Date, absolute: Date): Date {
  return new Date(Math.min(lastSeen.getTime() + CONSOLE_IDLE_MS, absolute.getTime()));
}

/** Open a session for a checked key; also clears expired sessions, so the table stays small. */
export async function openConsoleSession(db: Db, key: { id: string; secret: string }, now: Date) {
  const token = randomSecret(32);
  const csrfToken = randomSecret(32);
  const expiresAt = new Date(now.getTime() + CONSOLE_ABSOLUTE_MS);
  await db
    .deleteFrom('console_sessions')
    .where((eb) => eb.or([eb('expires_at', '<', now), eb('last_seen_at', '<', new Date(now.getTime() - CONSOLE_IDLE_MS))]))
    .execute();
  const row = await db
    .insertInto('console_sessions')
    .values({
      id: `cs_${randomSecret(16)}`,
      token_hash: sha256(token),
      csrf_token: csrfToken,
      key_id: key.id,
      key_hash: sha256(key.secret),
      created_at: now,
      last_seen_at: now,
      expires_at: expiresAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const session: ConsoleSession = { id: row.id, csrfToken, keyId: key.id, createdAt: now, expiresAt: idleEnd(now, expiresAt) };
  return { token, session };
}

/**
 * The live session of a cookie token: not past its idle or absolute end, and its key still valid
 * (a stored key not revoked, or GATEHOUSE_SECRET_KEY unchanged). Records the request as activity.
 */
export async function findConsoleSession(deps: Deps, token: string): Promise<ConsoleSession | undefined> {
  const now = deps.clock.now();
  const row = await deps.db.selectFrom('console_sessions').selectAll().where('token_hash', '=', sha256(token)).executeTakeFirst();
  if (!row) return undefined;
  if (idleEnd(row.last_seen_at, row.expires_at) <= now) return undefined;
  if (row.key_id === 'env') {
    const envKey = deps.config.secretKey;
    if (!envKey || !secretsEqual(sha256(envKey), row.key_hash)) return undefined;
  } else {
    const key = await deps.db
      .selectFrom('secret_keys')
      .select('id')
      .where('id', '=', row.key_id)
      .where('secret_hash', '=', row.key_hash)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (!key) return undefined;
  }
  let lastSeen = row.last_seen_at;
  if (now.getTime() - lastSeen.getTime() >= TOUCH_EVERY_MS) {
    await deps.db.updateTable('console_sessions').set({ last_seen_at: now }).where('id', '=', row.id).execute();
    lastSeen = now;
  }
  return {
    id: row.id,
    csrfToken: row.csrf_token,
    keyId: row.key_id,
    createdAt: row.created_at,
    expiresAt: idleEnd(lastSeen, row.expires_at),
  };
}

/** End the session of a cookie token, if it has one (a sign-in over an existing console cookie). */
export async function closeConsoleSessionOfToken(db: Db, token: string): Promise<void> {
  await db.deleteFrom('console_sessions').where('token_hash', '=', sha256(token)).execute();
}

export async function closeConsoleSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom('console_sessions').where('id', '=', id).execute();
}

export function setConsoleCookie(c: Context<AppEnv>, deps: Deps, token: string): void {
  setCookie(c, CONSOLE_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/console',
    secure: secure(deps),
    maxAge: CONSOLE_ABSOLUTE_MS / 1000,
  });
}

export function clearConsoleCookie(c: Context<AppEnv>, deps: Deps): void {
  deleteCookie(c, CONSOLE_COOKIE, { path: '/console', httpOnly: true, sameSite: 'Strict', secure: secure(deps) });
}

/**
 * The console is same-origin only. A request from a browser must not be cross-site: `Sec-Fetch-Site`,
 * when sent, must be `same-origin`; an `Origin`, when sent, must be PUBLIC_URL's (not any of
 * ALLOWED_ORIGINS: those are the customer apps, which have no business driving the console); and
 * a state-changing request must carry an `Origin` (browsers always send one on those).
 */
export function assertSameOrigin(c: Context<AppEnv>, deps: Deps): void {
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin') {
    throw new ApiError('forbidden', 'The console accepts requests from its own pages only.');
  }
  const expected = new URL(deps.config.publicUrl).origin;
  const origin = c.req.header('origin');
  if (origin !== undefined && origin !== expected) {
    throw new ApiError('forbidden', `The console answers requests from ${expected} only (PUBLIC_URL); this one came from ${origin}.`);
  }
  if (origin === undefined && c.req.method !== 'GET' && c.req.method !== 'HEAD') {
    throw new ApiError('forbidden', 'A console request that changes something must carry an Origin header.');
  }
}

/** The session of the request's console cookie, or 401. */
export async function requireConsoleSession(c: Context<AppEnv>, deps: Deps): Promise<ConsoleSession> {
  const token = getCookie(c, CONSOLE_COOKIE);
  const session = token ? await findConsoleSession(deps, token) : undefined;
  if (!session) {
    if (token) clearConsoleCookie(c, deps);
    throw new ApiError('unauthenticated', 'Your console session has ended. Sign in again with a secret key.');
  }
  return session;
}

/** The session, which must also come with its CSRF proof in the `X-Console-CSRF` header. */
export async function requireConsoleCsrf(c: Context<AppEnv>, deps: Deps): Promise<ConsoleSession> {
  assertSameOrigin(c, deps);
  const session = await requireConsoleSession(c, deps);
  const proof = c.req.header(CSRF_HEADER);
  if (!proof || !secretsEqual(proof, session.csrfToken)) {
    throw new ApiError('forbidden', 'This console request lacks its CSRF proof (X-Console-CSRF). Reload the console.');
  }
  return session;
}

/**
 * Requests that the console route dispatches into `/backend/v1`, with the admin principal they run
 * as. Only this process can put a request here (no header can), so `requireSecretKey` lets these
 * through without a key.
 */
export const consoleRequests = new WeakMap<Request, AdminPrincipal>();

/**
 * The admin principal of a `/console/api/*` request: the console cookie only with its CSRF proof,
 * from this origin. An `Authorization` header is refused: the console never holds a key.
 */
export async function consolePrincipal(c: Context<AppEnv>, deps: Deps): Promise<AdminPrincipal> {
  if (c.req.header('authorization') !== undefined) {
    throw new ApiError('forbidden', 'The console API takes the console session, not a secret key: call /backend/v1 with keys.');
  }
  const session = await requireConsoleCsrf(c, deps);
  return { type: 'admin', keyId: session.keyId };
}
