import { isId } from '@gatehouse/contract';
import { sql } from 'kysely';
import type { Config } from '../../config.js';
import { compiledQuery } from '../../db/compiled.js';
import type { Db } from '../../db/schema.js';
import type { SessionsTable } from '../../db/tables/auth.js';
import { newId } from '../../security/ids.js';
import { randomSecret, sha256 } from '../../security/tokens.js';
import { rolePermissions } from '../organizations/members-queries.js';
import { selectUsers, type UserRow } from '../users/queries.js';

/** A session row as stored. */
export type SessionRow = SessionsTable;

/** `lastActiveAt` is written at most this often, so most requests only read. */
export const TOUCH_INTERVAL_MS = 60_000;

/** Longest user agent kept; longer ones are cut (a header is attacker-controlled). */
const MAX_USER_AGENT = 512;

export interface NewSession {
  userId: string;
  ip: string | null;
  userAgent: string | null;
  /** When the user proved a password (or second factor) to get this session. */
  reauthenticatedAt: Date | null;
}

/**
 * Create a session and return its token `<session id>.<secret>`: a `ses_` id and a 256-bit secret,
 * of which only the SHA-256 is stored. Every sign-in makes a new one, so a planted token is useless.
 */
export async function createSession(db: Db, config: Config, input: NewSession, now: Date): Promise<{ row: SessionRow; token: string }> {
  const id = newId('session', now);
  const secret = randomSecret(32);
  const absolute = new Date(now.getTime() + config.sessionAbsoluteTtlSeconds * 1000);
  const idle = new Date(now.getTime() + config.sessionIdleTtlSeconds * 1000);
  const row: SessionRow = {
    id,
    user_id: input.userId,
    secret_hash: sha256(secret),
    ip: input.ip,
    user_agent: input.userAgent ? input.userAgent.slice(0, MAX_USER_AGENT) : null,
    active_organization_id: null,
    active_workspace_id: null,
    created_at: now,
    last_active_at: now,
    expires_at: idle < absolute ? idle : absolute,
    absolute_expires_at: absolute,
    revoked_at: null,
    reauthenticated_at: input.reauthenticatedAt,
  };
  await db.insertInto('sessions').values(row).execute();
  return { row, token: `${id}.${secret}` };
}

/** Split a token into id and secret; undefined when it cannot be one of ours (no query made). */
export function parseSessionToken(token: string): { id: string; secret: string } | undefined {
  const dot = token.indexOf('.');
  if (dot < 0 || token.length > 200) return undefined;
  const id = token.slice(0, dot);
  const secret = token.slice(dot + 1);
  if (!isId('session', id) || !/^[0-9a-z]{52}$/.test(secret)) return undefined;
  return { id, secret };
}

const liveSession = compiledQuery((db: Db, sessionId: string, now: Date) =>
  db.selectFrom('sessions').selectAll().where('id', '=', sessionId).where('revoked_at', 'is', null).where('expires_at', '>', now),
);

/** A live session by id: one primary-key lookup (every frontend request); the caller compares the secret's hash. */
export async function findLiveSession(db: Db, sessionId: string, now: Date): Promise<SessionRow | undefined> {
  return (await liveSession(db, sessionId, now))[0];
}

/** The caller's membership in one organization, read with the session (null: not a member). */
export interface MembershipAccessRow {
  id: string;
  role_id: string;
  role_key: string;
  permissions: string[];
}

const liveSessionWithMembership = compiledQuery((db: Db, sessionId: string, now: Date, organizationId: string) =>
  db
    .selectFrom('sessions as s')
    .leftJoin('memberships as m', (join) => join.onRef('m.user_id', '=', 's.user_id').on('m.organization_id', '=', organizationId))
    .leftJoin('roles as r', 'r.id', 'm.role_id')
    .selectAll('s')
    .select(['m.id as member_id', 'm.role_id as member_role_id', 'r.key as member_role_key', rolePermissions.as('member_permissions')])
    .where('s.id', '=', sessionId)
    .where('s.revoked_at', 'is', null)
    .where('s.expires_at', '>', now),
);

/**
 * A live session and the caller's membership in `organizationId`, in one round trip: what an
 * organization operation needs before its own query (authorize() then answers from memory).
 */
export async function findLiveSessionWithMembership(
  db: Db,
  sessionId: string,
  now: Date,
  organizationId: string,
): Promise<{ row: SessionRow; membership: MembershipAccessRow | null } | undefined> {
  const found = (await liveSessionWithMembership(db, sessionId, now, organizationId))[0];
  if (!found) return undefined;
  const { member_id, member_role_id, member_role_key, member_permissions, ...row } = found;
  const membership =
    member_id !== null && member_role_id !== null && member_role_key !== null
      ? { id: member_id, role_id: member_role_id, role_key: member_role_key, permissions: member_permissions }
      : null;
  return { row, membership };
}

const liveSessionWithUser = compiledQuery((db: Db, sessionId: string, now: Date) =>
  selectUsers(db)
    .innerJoin('sessions as s', 's.user_id', 'users.id')
    .select([
      's.id as session_id',
      's.secret_hash as session_secret_hash',
      's.ip as session_ip',
      's.user_agent as session_user_agent',
      's.active_organization_id as session_active_organization_id',
      's.active_workspace_id as session_active_workspace_id',
      's.created_at as session_created_at',
      's.last_active_at as session_last_active_at',
      's.expires_at as session_expires_at',
      's.absolute_expires_at as session_absolute_expires_at',
      's.revoked_at as session_revoked_at',
      's.reauthenticated_at as session_reauthenticated_at',
    ])
    .where('s.id', '=', sessionId)
    .where('s.revoked_at', 'is', null)
    .where('s.expires_at', '>', now),
);

/** A live session and its user as `me/get` shows it (emails, phones, second factors), in one round trip. */
export async function findLiveSessionWithUser(
  db: Db,
  sessionId: string,
  now: Date,
): Promise<{ row: SessionRow; user: UserRow } | undefined> {
  const found = (await liveSessionWithUser(db, sessionId, now))[0];
  if (!found) return undefined;
  const row: SessionRow = {
    id: found.session_id,
    user_id: found.id,
    secret_hash: found.session_secret_hash,
    ip: found.session_ip,
    user_agent: found.session_user_agent,
    active_organization_id: found.session_active_organization_id,
    active_workspace_id: found.session_active_workspace_id,
    created_at: found.session_created_at,
    last_active_at: found.session_last_active_at,
    expires_at: found.session_expires_at,
    absolute_expires_at: found.session_absolute_expires_at,
    revoked_at: found.session_revoked_at,
    reauthenticated_at: found.session_reauthenticated_at,
  };
  return { row, user: found };
}

/**
 * Record activity and slide the expiry, at most once a minute per session. The condition in the
 * WHERE makes concurrent requests write once.
 */
export async function touchSession(db: Db, config: Config, row: SessionRow, now: Date): Promise<SessionRow> {
  if (now.getTime() - row.last_active_at.getTime() < TOUCH_INTERVAL_MS) return row;
  const idle = new Date(now.getTime() + config.sessionIdleTtlSeconds * 1000);
  const expires = idle < row.absolute_expires_at ? idle : row.absolute_expires_at;
  await db
    .updateTable('sessions')
    .set({ last_active_at: now, expires_at: expires })
    .where('id', '=', row.id)
    .where('last_active_at', '<', new Date(now.getTime() - TOUCH_INTERVAL_MS))
    .execute();
  return { ...row, last_active_at: now, expires_at: expires };
}

/** A user's sessions, newest activity first, keyset-paged on (last_active_at, id). */
export function listSessions(
  db: Db,
  userId: string,
  filter: { includeExpired: boolean; after?: { lastActiveAt: Date; id: string } | undefined; limit: number },
  now: Date,
) {
  let query = db
    .selectFrom('sessions')
    .selectAll()
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .orderBy('last_active_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit + 1);
  if (!filter.includeExpired) query = query.where('expires_at', '>', now);
  const after = filter.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('last_active_at', '<', after.lastActiveAt),
        eb.and([eb('last_active_at', '=', after.lastActiveAt), eb('id', '<', after.id)]),
      ]),
    );
  }
  return query.execute();
}

/** The cursor key of a session in a list. */
export function sessionCursorKey(row: SessionRow): string {
  return `${row.last_active_at.getTime()}.${row.id}`;
}

export function parseSessionCursorKey(key: string | undefined): { lastActiveAt: Date; id: string } | undefined {
  if (!key) return undefined;
  const match = /^(\d{1,15})\.(ses_[0-9a-z]{26})$/.exec(key);
  if (!match) return undefined;
  return { lastActiveAt: new Date(Number(match[1])), id: match[2] as string };
}

/**
 * Revoke one of a user's sessions and return its final state; undefined when the id is not one
 * of this user's sessions. Revoking again changes nothing (idempotent).
 */
export async function revokeSession(db: Db, userId: string, sessionId: string, now: Date): Promise<SessionRow | undefined> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('id', '=', sessionId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
  return db.selectFrom('sessions').selectAll().where('id', '=', sessionId).where('user_id', '=', userId).executeTakeFirst();
}

/**
 * Revoke every session of a user not yet revoked (but `exceptId`), and count those that were still
 * active: expired sessions are closed too but not counted.
 */
export async function revokeUserSessions(db: Db, userId: string, now: Date, exceptId?: string): Promise<number> {
  let query = db.updateTable('sessions').set({ revoked_at: now }).where('user_id', '=', userId).where('revoked_at', 'is', null);
  if (exceptId) query = query.where('id', '!=', exceptId);
  const rows = await query.returning(sql<boolean>`expires_at > ${now}`.as('was_active')).execute();
  return rows.filter((r) => r.was_active).length;
}

/** Mark that the user proved their password (or a second factor) in this session just now. */
export async function markReauthenticated(db: Db, sessionId: string, now: Date): Promise<void> {
  await db.updateTable('sessions').set({ reauthenticated_at: now }).where('id', '=', sessionId).execute();
}
