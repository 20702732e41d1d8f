import type { Deps } from '../../deps.js';
import { secretsEqual, sha256 } from '../../security/tokens.js';
import { findLiveSession, parseSessionToken, type SessionRow, touchSession } from './queries.js';

/**
 * The live session a token names, with its activity recorded (at most once a minute); undefined for
 * a malformed, unknown, tampered, expired or revoked token. One primary-key query per call, so a
 * sign-out or revoke takes effect on the very next request.
 */
export async function findSessionByToken(deps: Pick<Deps, 'db' | 'config' | 'clock'>, token: string): Promise<SessionRow | undefined> {
  const parsed = parseSessionToken(token);
  if (!parsed) return undefined;
  const now = deps.clock.now();
  const row = await findLiveSession(deps.db, parsed.id, now);
  // Constant-time comparison of the digests: no early exit on the first differing character.
  if (!row || !secretsEqual(sha256(parsed.secret), row.secret_hash)) return undefined;
  return touchSession(deps.db, deps.config, row, now);
}

/** What a valid session token stands for (used by `/backend/v1/sessions/verify` and the JWT). */
export interface SessionLookup {
  sessionId: string;
  userId: string;
  activeOrganizationId: string | null;
  activeWorkspaceId: string | null;
}

/** Validate an opaque session token `<session id>.<secret>`; undefined when it is not a live session. */
export async function lookupSession(deps: Deps, token: string): Promise<SessionLookup | undefined> {
  const row = await findSessionByToken(deps, token);
  if (!row) return undefined;
  return {
    sessionId: row.id,
    userId: row.user_id,
    activeOrganizationId: row.active_organization_id,
    activeWorkspaceId: row.active_workspace_id,
  };
}
