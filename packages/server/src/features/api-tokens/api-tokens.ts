import type { Db } from '../../db/schema.js';
import { ApiError } from '../../http/errors.js';
import { newId } from '../../security/ids.js';
import { randomSecret, secretsEqual, sha256 } from '../../security/tokens.js';
import { assertHolds, holdsAll } from '../organizations/access.js';
import { type Change, changeUnderLock, recordChange } from '../organizations/change.js';
import { assertKnownPermissions } from '../organizations/roles-queries.js';
import * as q from './queries.js';

/** `gh_<env>_<16 base32>:<52 base32>`: an 80-bit public key, then a 256-bit secret. */
const BEARER = /^(gh_(?:live|test)_[0-9a-z]{16}):([0-9a-z]{52})$/;

/** The key and secret of a bearer that has the shape of one, else undefined. */
export function parseBearer(bearer: string): { key: string; secret: string } | undefined {
  const match = BEARER.exec(bearer);
  if (!match) return undefined;
  return { key: match[1] as string, secret: match[2] as string };
}

/** True when a bearer looks like an org token rather than a session token (`ses_….<secret>`). */
export function looksLikeOrgToken(bearer: string): boolean {
  return bearer.startsWith('gh_') || bearer.includes(':');
}

/**
 * The live token a bearer stands for, or undefined: malformed, unknown, wrong secret, revoked or
 * expired all look the same. Read from the database on every call, never cached, so a revoke or an
 * expiry applies to the very next request. A use is recorded (at most once a minute).
 */
export async function verifyBearer(db: Db, bearer: string, now: Date): Promise<q.ApiTokenRow | undefined> {
  const parts = parseBearer(bearer);
  if (!parts) return undefined;
  // Found by its public key; the secret is then compared as digests in constant time, so timing
  // tells nothing about how much of a guessed secret was right.
  const row = await q.findTokenByKey(db, parts.key);
  if (!row || !secretsEqual(sha256(parts.secret), row.secret_hash)) return undefined;
  if (row.revoked_at !== null) return undefined;
  // Expiry by the server's clock: a token is dead from its expiresAt on.
  if (row.expires_at !== null && row.expires_at.getTime() <= now.getTime()) return undefined;
  await q.touchToken(db, row, now);
  return row;
}

export interface NewApiToken {
  name: string;
  env: 'live' | 'test';
  permissions?: string[] | undefined;
  expiresAt?: string | null | undefined;
}

/**
 * Make a token for the change's organization. Its permissions default to the `member` role's and
 * are never more than the caller holds (no escalation, 403), checked under the organization lock
 * against the caller's rights re-read there. Returns the row and the bearer, which is not stored.
 */
export async function createApiToken(db: Db, change: Change, input: NewApiToken, createdBy: string | null) {
  const { access, now } = change;
  const permissions = [...new Set(input.permissions ?? (await q.memberRolePermissions(db)))].sort();
  await assertKnownPermissions(db, permissions);
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  if (expiresAt && expiresAt.getTime() <= now.getTime()) {
    throw new ApiError('invalid_request', 'expiresAt must be in the future.', [{ path: 'expiresAt', message: 'must be in the future' }]);
  }
  const key = `gh_${input.env}_${randomSecret(10)}`;
  const secret = randomSecret(32);
  const id = newId('apiToken', now);
  const row = await changeUnderLock(db, change, async (tx, caller) => {
    const current = await caller();
    assertHolds(current, 'org:manage');
    if (!holdsAll(current, permissions)) throw new ApiError('forbidden', 'A token can only have permissions you hold yourself.');
    await q.insertToken(
      tx,
      {
        id,
        organization_id: access.organizationId,
        name: input.name,
        env: input.env,
        key,
        // Hash so a database leak reveals no usable token; 256 random bits need no slow hash.
        secret_hash: sha256(secret),
        last_four: secret.slice(-4),
        created_by: createdBy,
        created_at: now,
        expires_at: expiresAt,
      },
      permissions,
    );
    await recordChange(tx, change, {
      action: 'api_token.created',
      target: { type: 'api_token', id },
      data: { name: input.name, env: input.env, key, permissions, expiresAt: expiresAt?.toISOString() ?? null },
    });
    return q.findToken(tx, access.organizationId, id);
  });
  if (!row) throw new Error('createApiToken: the new token is not readable in its own transaction');
  return { row, secret, bearer: `${key}:${secret}` };
}

/**
 * Revoke a token of the change's organization: 200 with its final state every time, 404 only for
 * an id that is not one of this organization's. The audit event is written by the revoke that
 * took effect, not by repeats.
 */
export function revokeApiToken(db: Db, change: Change, tokenId: string): Promise<q.ApiTokenRow> {
  const { access, now } = change;
  return changeUnderLock(db, change, async (tx, caller) => {
    assertHolds(await caller(), 'org:manage');
    const before = await q.findToken(tx, access.organizationId, tokenId);
    if (!before) throw new ApiError('not_found', 'No such API token.');
    if (await q.revokeToken(tx, tokenId, now)) {
      await recordChange(tx, change, {
        action: 'api_token.revoked',
        target: { type: 'api_token', id: tokenId },
        data: { key: before.key },
      });
    }
    const after = await q.findToken(tx, access.organizationId, tokenId);
    if (!after) throw new ApiError('not_found', 'No such API token.');
    return after;
  });
}
