import type { Db } from '../../db/schema.js';
import type { Deps } from '../../deps.js';
import { secretsEqual, sha256 } from '../../security/tokens.js';
import type { UserRow } from '../users/queries.js';
import {
  findLiveSession,
  findLiveSessionWithMembership,
  findLiveSessionWithUser,
  type MembershipAccessRow,
  parseSessionToken,
  type SessionRow,
  touchSession,
} from './queries.js';

/** What an operation wants read together with its caller's session, so it needs no query of its own for it. */
export interface SessionPreload {
  /** The session's user as `me/get` shows it. */
  user?: boolean;
  /** The caller's membership (role and permissions) in this organization. */
  organizationId?: string;
}

/** A live session and what was asked of {@link SessionPreload}. */
export interface ResolvedSession {
  row: SessionRow;
  user?: UserRow;
  /** Present when an organization was asked for: null when the caller is not a member. */
  membership?: MembershipAccessRow | null;
}

/**
 * The live session a token names, with its activity recorded (at most once a minute), and what the
 * operation asked to have read with it, in one query; undefined for a malformed, unknown,
 * tampered, expired or revoked token. Every request reads the session, so a sign-out or revoke
 * takes effect on the very next one.
 */
export async function resolveSessionToken(
  deps: Pick<Deps, 'db' | 'config' | 'clock'>,
  token: string,
  preload: SessionPreload = {},
): Promise<ResolvedSession | undefined> {
  const parsed = parseSessionToken(token);
  if (!parsed) return undefined;
  const now = deps.clock.now();
  const found = await readSession(deps.db, parsed.id, now, preload);
  // Constant-time comparison of the digests: no early exit on the first differing character.
  if (!found || !secretsEqual(sha256(parsed.secret), found.row.secret_hash)) return undefined;
  return { ...found, row: await touchSession(deps.db, deps.config, found.row, now) };
}

function readSession(db: Db, sessionId: string, now: Date, preload: SessionPreload): Promise<ResolvedSession | undefined> {
  if (preload.user) return findLiveSessionWithUser(db, sessionId, now);
  if (preload.organizationId) return findLiveSessionWithMembership(db, sessionId, now, preload.organizationId);
  return findLiveSession(db, sessionId, now).then((row) => (row ? { row } : undefined));
}

/** The live session a token names (see {@link resolveSessionToken}), without anything else. */
export async function findSessionByToken(deps: Pick<Deps, 'db' | 'config' | 'clock'>, token: string): Promise<SessionRow | undefined> {
  return (await resolveSessionToken(deps, token))?.row;
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
