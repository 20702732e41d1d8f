import type { SessionRow } from './queries.js';

/** A session as both APIs show it: an allow-list, so the secret's hash never leaves. */
export function presentSession(row: SessionRow, now: Date, currentSessionId?: string) {
  const status = row.revoked_at ? 'revoked' : row.expires_at <= now ? 'expired' : 'active';
  return {
    id: row.id,
    userId: row.user_id,
    status: status as 'active' | 'expired' | 'revoked',
    createdAt: row.created_at.toISOString(),
    lastActiveAt: row.last_active_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    ip: row.ip,
    userAgent: row.user_agent,
    current: currentSessionId !== undefined && row.id === currentSessionId,
  };
}
