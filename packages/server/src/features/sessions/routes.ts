import * as ops from '@gatehouse/contract';
import type { Hono } from 'hono';
import { decodeCursor, encodeCursor } from '../../db/pagination.js';
import type { Deps } from '../../deps.js';
import { bindBackend, bindFrontend } from '../../http/bind.js';
import type { AppEnv, Principal } from '../../http/context.js';
import { ApiError } from '../../http/errors.js';
import { actorOf, recordEvent } from '../audit/index.js';
import { getUser } from '../users/queries.js';
import { presentSession } from './present.js';
import { listSessions, parseSessionCursorKey, revokeSession, revokeUserSessions, type SessionRow, sessionCursorKey } from './queries.js';
import { clearSessionToken } from './transport.js';

function cursorOf(cursor: string | undefined) {
  const key = decodeCursor(cursor);
  const after = parseSessionCursorKey(key);
  if (key && !after) throw new ApiError('invalid_request', 'The cursor is not one this API returned.');
  return after;
}

/** Revoke one session and audit it (once: repeating a revoke records nothing new). */
async function revokeAudited(deps: Deps, principal: Principal, ip: string, userId: string, sessionId: string) {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    const row = await revokeSession(tx, userId, sessionId, now);
    if (row && row.revoked_at?.getTime() === now.getTime()) {
      await recordEvent(tx, {
        organizationId: null,
        action: 'session.revoked',
        actor: actorOf(principal),
        target: { type: 'session', id: sessionId },
        ip,
        data: { userId },
        at: now,
      });
    }
    return { row, now };
  });
}

/** Revoke all of a user's sessions (but `exceptId`) and audit how many were ended. */
async function revokeAllAudited(deps: Deps, principal: Principal, ip: string, userId: string, exceptId?: string) {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    const revoked = await revokeUserSessions(tx, userId, now, exceptId);
    if (revoked > 0) {
      await recordEvent(tx, {
        organizationId: null,
        action: exceptId ? 'user.other_sessions_revoked' : 'user.sessions_revoked',
        actor: actorOf(principal),
        target: { type: 'user', id: userId },
        ip,
        data: { revoked },
        at: now,
      });
    }
    return revoked;
  });
}

function pageOf(rows: SessionRow[], limit: number) {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows.at(-1);
  return { rows: pageRows, hasMore, nextCursor: hasMore && last ? encodeCursor(sessionCursorKey(last)) : null };
}

/** A user's sessions: the backend `users/{userId}/sessions` routes and the frontend `me/sessions/*`. */
export function registerSessionRoutes(app: Hono<AppEnv>, deps: Deps): void {
  const { db, clock } = deps;
  const noSuchSession = () => new ApiError('not_found', 'No such session.');

  bindBackend(app, deps, ops.listUserSessions, async ({ params, query }) => {
    await getUser(db, params.userId);
    const now = clock.now();
    const rows = await listSessions(
      db,
      params.userId,
      { includeExpired: query.includeExpired ?? false, after: cursorOf(query.cursor), limit: query.limit },
      now,
    );
    const page = pageOf(rows, query.limit);
    return { data: page.rows.map((r) => presentSession(r, now)), hasMore: page.hasMore, nextCursor: page.nextCursor };
  });

  bindBackend(app, deps, ops.revokeUserSession, async ({ params }, c) => {
    // Scoped by the user in the path: another user's session id is 404, like one that never existed.
    const { row, now } = await revokeAudited(deps, c.get('principal') as Principal, c.get('ip'), params.userId, params.sessionId);
    if (!row) throw noSuchSession();
    return presentSession(row, now);
  });

  bindBackend(app, deps, ops.revokeAllUserSessions, async ({ params }, c) => {
    await getUser(db, params.userId);
    return { revoked: await revokeAllAudited(deps, c.get('principal') as Principal, c.get('ip'), params.userId) };
  });

  bindFrontend(app, deps, ops.listMySessions, async (input, principal) => {
    const now = clock.now();
    const rows = await listSessions(
      db,
      principal.userId,
      { includeExpired: false, after: cursorOf(input.cursor), limit: input.limit },
      now,
    );
    const page = pageOf(rows, input.limit);
    return {
      sessions: page.rows.map((r) => presentSession(r, now, principal.sessionId)),
      hasMore: page.hasMore,
      nextCursor: page.nextCursor,
    };
  });

  bindFrontend(app, deps, ops.revokeMySession, async ({ sessionId }, principal, c) => {
    const { row, now } = await revokeAudited(deps, principal, c.get('ip'), principal.userId, sessionId);
    if (!row) throw noSuchSession();
    if (sessionId === principal.sessionId) {
      clearSessionToken(c, deps.config);
      c.set('envelopeSession', null);
    }
    return { session: presentSession(row, now, principal.sessionId) };
  });

  bindFrontend(app, deps, ops.revokeMyOtherSessions, async (_input, principal, c) => ({
    revoked: await revokeAllAudited(deps, principal, c.get('ip'), principal.userId, principal.sessionId),
  }));
}
