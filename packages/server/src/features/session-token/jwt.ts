import { type JWTPayload, jwtVerify, SignJWT } from 'jose';
import type { Deps } from '../../deps.js';
import { findLiveSession } from '../sessions/queries.js';
import { buildSessionClaims, type TokenSession } from './claims.js';
import type { SigningKeyStore } from './store.js';

/** Clock skew tolerated between Gatehouse processes when verifying `exp`/`iat`/`nbf` (seconds). */
const LEEWAY_SECONDS = 5;

/** Mint a session JWT: `sub`, `sid`, `iss`, `iat`, `exp` and the active-organization claims. */
export async function mintSessionToken(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  keys: SigningKeyStore,
  session: TokenSession,
): Promise<{ token: string; expiresAt: string }> {
  const claims = await buildSessionClaims(deps.db, session);
  const { kid, alg, key } = await keys.activeKey();
  const iat = Math.floor(deps.clock.now().getTime() / 1000);
  const exp = iat + deps.config.sessionTokenTtlSeconds;
  const token = await new SignJWT({ ...claims })
    .setProtectedHeader({ alg, kid, typ: 'JWT' })
    .setIssuer(deps.config.publicUrl)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(key);
  return { token, expiresAt: new Date(exp * 1000).toISOString() };
}

/** A compact JWS has three base64url parts; an opaque session token (`ses_….<secret>`) has two. */
export function looksLikeJwt(token: string): boolean {
  return /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);
}

/**
 * Verify a session JWT as the backend API does: signature by a published key, issuer, expiry, and
 * — unlike the SDK's offline check — that its session is still active, so a revoked session's
 * token stops being valid at once. Undefined for any token that is not good.
 */
export async function verifySessionJwt(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  keys: SigningKeyStore,
  token: string,
): Promise<{ claims: JWTPayload & { sub: string; sid: string } } | undefined> {
  const now = deps.clock.now();
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, (header) => keys.publicKeyFor(header), {
      issuer: deps.config.publicUrl,
      algorithms: ['EdDSA', 'ES256'],
      requiredClaims: ['sub', 'sid', 'exp', 'iat'],
      clockTolerance: LEEWAY_SECONDS,
      currentDate: now,
    }));
  } catch {
    return undefined;
  }
  const { sub, sid } = payload;
  if (typeof sub !== 'string' || typeof sid !== 'string') return undefined;
  const session = await findLiveSession(deps.db, sid, now);
  if (!session || session.user_id !== sub) return undefined;
  return { claims: { ...payload, sub, sid } };
}
