import * as ops from '@gatehouse/contract';
import type { BackendCaller } from './users.js';

/** `users.sessions.*` of the backend client. */
export function userSessionsApi(call: BackendCaller) {
  return {
    /** A user's sessions, newest activity first: active ones, plus expired with `includeExpired`. Revoked are never listed. */
    list: (userId: string, query: { includeExpired?: boolean; limit?: number; cursor?: string } = {}) =>
      call(ops.listUserSessions, {
        params: { userId },
        query: {
          ...(query.includeExpired !== undefined ? { includeExpired: query.includeExpired ? 'true' : 'false' } : {}),
          ...(query.limit !== undefined ? { limit: query.limit } : {}),
          ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
        },
      }),
    /** End one session at once; 200 with its final state every time (404 for another user's or an unknown id). */
    revoke: (userId: string, sessionId: string) => call(ops.revokeUserSession, { params: { userId, sessionId } }),
    /** End every session of the user: `{ revoked }` counts those that were still active. */
    revokeAll: (userId: string) => call(ops.revokeAllUserSessions, { params: { userId } }),
  };
}
