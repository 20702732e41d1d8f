import { z } from 'zod';
import { FrontendPage, PageQuery, page, QueryBoolean, Timestamp } from '../common.js';
import { idOf } from '../ids.js';
import { backend, frontend } from '../operation.js';
import { UserParams } from '../users.js';

const tag = 'Sessions';

/** A user's session (sign-in on one device). Secrets are never part of it. */
export const Session = z
  .object({
    id: z.string(),
    userId: z.string(),
    status: z.enum(['active', 'expired', 'revoked']),
    createdAt: Timestamp,
    lastActiveAt: Timestamp.meta({ description: 'Updated at most once a minute' }),
    expiresAt: Timestamp.meta({ description: 'Sliding: moves with activity, never past the absolute lifetime' }),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    current: z.boolean().meta({ description: 'True for the session making this request (always false on the backend API)' }),
  })
  .meta({ id: 'Session' });

/** `{ revoked }`: how many sessions were still active and are now ended. */
export const RevokedCount = z.object({ revoked: z.number().int().min(0) }).meta({ id: 'RevokedCount' });

export const UserSessionParams = z.strictObject({ userId: idOf('user'), sessionId: idOf('session') });

export const listUserSessions = backend({
  name: 'users.sessions.list',
  method: 'GET',
  path: '/users/{userId}/sessions',
  params: UserParams,
  query: PageQuery.extend({
    includeExpired: QueryBoolean.meta({ description: 'Also list expired sessions (revoked ones are never listed)' }),
  }),
  output: page(Session),
  summary: "List a user's sessions, newest activity first",
  description: 'Active sessions by default; `includeExpired=true` adds expired ones. Revoked sessions are never listed.',
  tag,
});

export const revokeUserSession = backend({
  name: 'users.sessions.revoke',
  method: 'POST',
  path: '/users/{userId}/sessions/{sessionId}/revoke',
  params: UserSessionParams,
  output: Session,
  summary: 'Revoke one session',
  description:
    'Ends the session at once (its next request gets 401). Idempotent: 200 with the final state every time; 404 only for an id that does not belong to this user.',
  tag,
});

export const revokeAllUserSessions = backend({
  name: 'users.sessions.revokeAll',
  method: 'POST',
  path: '/users/{userId}/sessions/revoke-all',
  params: UserParams,
  output: RevokedCount,
  summary: "Revoke all of a user's sessions",
  description: '`revoked` counts only sessions that were still active (expired ones are not counted).',
  tag,
});

export const listMySessions = frontend({
  name: 'me/sessions/list',
  input: z.strictObject({ ...FrontendPage }),
  output: z.object({ sessions: z.array(Session), hasMore: z.boolean(), nextCursor: z.string().nullable() }),
  auth: 'user',
  summary: 'List my active sessions, newest activity first (`current` marks this one)',
  tag,
});

export const revokeMySession = frontend({
  name: 'me/sessions/revoke',
  input: z.strictObject({ sessionId: idOf('session') }),
  output: z.object({ session: Session }),
  auth: 'user',
  summary: 'Sign one of my sessions out (idempotent)',
  tag,
});

export const revokeMyOtherSessions = frontend({
  name: 'me/sessions/revoke-others',
  input: z.strictObject({}),
  output: RevokedCount,
  auth: 'user',
  summary: 'Sign out everywhere but here',
  tag,
});
