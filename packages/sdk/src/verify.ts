import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  type JSONWebKeySet,
  type JWTHeaderParameters,
  type JWTPayload,
  jwtVerify,
  type KeyObject,
} from 'jose';
import { GatehouseError } from './errors.js';

/**
 * The verified claims of a Gatehouse session JWT. `org_*` are present when the session has an
 * active organization, `ws_*` when it has an active workspace.
 */
export interface SessionTokenClaims extends JWTPayload {
  /** The user id (`usr_…`). */
  sub: string;
  /** The session id (`ses_…`). */
  sid: string;
  /** Gatehouse's PUBLIC_URL. */
  iss: string;
  /** Issued at (seconds since the epoch). */
  iat: number;
  /** Expires at (seconds since the epoch). */
  exp: number;
  /** The active organization's id. */
  org_id?: string;
  /** The user's role key in the active organization, e.g. `admin`. */
  org_role?: string;
  /** The permissions that role grants, e.g. `members:manage`. */
  org_permissions?: string[];
  /** The active workspace's id. */
  ws_id?: string;
  /** The user's role key in the active workspace. */
  ws_role?: string;
  /** The permissions of that workspace role. */
  ws_permissions?: string[];
}

/** Where the public keys come from: Gatehouse's `/.well-known/jwks.json` URL, or a JWKS you hold. */
export type JwksSource = { jwksUrl: string | URL } | { jwks: JSONWebKeySet };

/** Checks beyond the signature. */
export interface VerifyOptions {
  /**
   * The expected `iss`: Gatehouse's PUBLIC_URL. Always checked. With `jwksUrl` it defaults to that
   * URL without its `/.well-known/jwks.json` ending; with `jwks` it is required.
   */
  issuer?: string;
  /** Clock skew tolerated on `exp`, `iat` and `nbf`, in seconds (default 5). */
  leewaySeconds?: number;
  /** The current time (default: now); for tests and replays. */
  now?: () => Date;
}

/** Options of {@link createSessionVerifier}. */
export type SessionVerifierOptions = JwksSource &
  VerifyOptions & {
    /**
     * With `jwksUrl`: after a fetch, how long an unknown `kid` does not trigger another one, so junk
     * tokens cannot make you hammer Gatehouse (seconds, default 5). A rotation is picked up after this.
     */
    refetchCooldownSeconds?: number;
  };

/** A reusable verifier: it keeps the JWKS between calls and refetches it when it meets an unknown `kid`. */
export interface SessionVerifier {
  /** Verify a session JWT; throws a {@link GatehouseError} `unauthenticated` (401) when it is not good. */
  verify(token: string): Promise<SessionTokenClaims>;
}

type KeyResolver = (header: JWTHeaderParameters) => Promise<CryptoKey | KeyObject>;

/** Why a token was refused, in `error.details.reason`. */
export type SessionTokenFailure =
  | 'malformed'
  | 'expired'
  | 'not_yet_valid'
  | 'bad_signature'
  | 'unknown_key'
  | 'wrong_issuer'
  | 'invalid_claims';

function refuse(reason: SessionTokenFailure, message: string): GatehouseError {
  return new GatehouseError('unauthenticated', message, 401, { reason });
}

/** Map jose's errors to one error type with a reason a caller can log or branch on. */
function toGatehouseError(error: unknown): GatehouseError {
  if (error instanceof errors.JWTExpired) return refuse('expired', 'The session token has expired; ask the client for a fresh one.');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return refuse('wrong_issuer', 'The session token was issued by another Gatehouse (its `iss` differs).');
    if (error.claim === 'nbf' || error.claim === 'iat')
      return refuse('not_yet_valid', 'The session token is not valid yet; check the server clock.');
    return refuse('invalid_claims', `The session token's \`${error.claim}\` claim is missing or invalid.`);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return refuse('bad_signature', 'The session token signature is not valid.');
  if (error instanceof errors.JWKSNoMatchingKey) {
    return refuse('unknown_key', 'The session token was signed with a key this Gatehouse does not publish.');
  }
  if (error instanceof errors.JWKSTimeout || (error instanceof errors.JOSEError && error.code === 'ERR_JWKS_INVALID')) {
    return new GatehouseError('network_error', `Could not load Gatehouse's JWKS: ${error.message}`, 0);
  }
  if (error instanceof errors.JOSEError) return refuse('malformed', `The session token is not a valid JWT (${error.code}).`);
  if (error instanceof GatehouseError) return error;
  // fetch() failing to reach the JWKS URL: not the token's fault, so not a 401.
  return new GatehouseError('network_error', `Could not load Gatehouse's JWKS: ${(error as Error).message}`, 0);
}

/**
 * Make a verifier for session JWTs minted by `client.session.token()`. Keep one per process: with
 * `jwksUrl` it fetches the JWKS once, caches it, and refetches when a token names an unknown key
 * (after a rotation), so the hot path makes no network call.
 *
 * ```ts
 * const verifier = createSessionVerifier({ jwksUrl: 'https://auth.example.com/.well-known/jwks.json', issuer: 'https://auth.example.com' });
 * const claims = await verifier.verify(token); // claims.sub, claims.org_id, claims.org_permissions…
 * ```
 */
export function createSessionVerifier(options: SessionVerifierOptions): SessionVerifier {
  const issuer = expectedIssuer(options);
  const keys: KeyResolver =
    'jwksUrl' in options
      ? createRemoteJWKSet(new URL(options.jwksUrl), { cooldownDuration: (options.refetchCooldownSeconds ?? 5) * 1000 })
      : createLocalJWKSet(options.jwks);
  const leeway = options.leewaySeconds ?? 5;
  return {
    async verify(token) {
      if (typeof token !== 'string' || token.length === 0 || token.length > 8192) {
        throw refuse('malformed', 'The session token is missing or too long.');
      }
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          // Only what Gatehouse signs with: refuses `none` and HMAC confusion outright.
          algorithms: ['EdDSA', 'ES256'],
          requiredClaims: ['sub', 'sid', 'iat', 'exp', 'iss'],
          clockTolerance: leeway,
          issuer,
          ...(options.now ? { currentDate: options.now() } : {}),
        }));
      } catch (error) {
        throw toGatehouseError(error);
      }
      if (typeof payload.sid !== 'string' || typeof payload.sub !== 'string') {
        throw refuse('invalid_claims', 'The session token has no `sub` or `sid`.');
      }
      return payload as SessionTokenClaims;
    },
  };
}

const JWKS_PATH = '/.well-known/jwks.json';

/**
 * The `iss` a token must carry. Gatehouse serves its JWKS at `PUBLIC_URL/.well-known/jwks.json` and
 * signs with `iss = PUBLIC_URL`, so the JWKS URL names the issuer; a bare JWKS does not, so the
 * caller must: accepting any `iss` would accept tokens of every Gatehouse that shares a key set.
 */
function expectedIssuer(options: SessionVerifierOptions): string {
  if (options.issuer !== undefined) return options.issuer;
  if ('jwksUrl' in options) {
    const url = new URL(options.jwksUrl);
    if (url.pathname.endsWith(JWKS_PATH)) return `${url.origin}${url.pathname.slice(0, -JWKS_PATH.length)}`;
  }
  throw new TypeError(
    "Pass `issuer` (Gatehouse's PUBLIC_URL, e.g. 'https://auth.example.com'): it cannot be derived from this JWKS source.",
  );
}

/** Distinct JWKS sources whose verifiers are kept; the oldest is dropped past this. */
const MAX_REMOTE_VERIFIERS = 16;

/**
 * One verifier per JWKS URL and options, so {@link verifySessionToken} with `jwksUrl` fetches the
 * JWKS once and then only on an unknown `kid`, like a verifier you keep yourself. It holds public
 * keys only, and a process talks to a handful of Gatehouses at most.
 */
const remoteVerifiers = new Map<string, SessionVerifier>();

function remoteVerifier(source: { jwksUrl: string | URL }, options: VerifyOptions): SessionVerifier {
  const key = JSON.stringify([String(source.jwksUrl), options.issuer ?? null, options.leewaySeconds ?? null]);
  let verifier = remoteVerifiers.get(key);
  if (!verifier) {
    verifier = createSessionVerifier({ ...source, ...options });
    remoteVerifiers.set(key, verifier);
    const oldest = remoteVerifiers.keys().next().value;
    if (remoteVerifiers.size > MAX_REMOTE_VERIFIERS && oldest !== undefined) remoteVerifiers.delete(oldest);
  }
  return verifier;
}

/**
 * Verify one session JWT against Gatehouse's public keys, without calling Gatehouse for each token:
 * with `{ jwks }` it makes no network call; with `{ jwksUrl }` the JWKS is fetched once per URL,
 * cached, and refetched when a token names an unknown `kid` (after a key rotation).
 *
 * Rejects with a {@link GatehouseError} with code `unauthenticated` (status 401) and `details.reason`
 * (`expired`, `bad_signature`, `unknown_key`, `wrong_issuer`, …) when the token is not good, and
 * with a `TypeError` when the issuer cannot be known (a bare `jwks` without `issuer`).
 */
export async function verifySessionToken(token: string, source: JwksSource, options: VerifyOptions = {}): Promise<SessionTokenClaims> {
  const verifier = 'jwksUrl' in source && !options.now ? remoteVerifier(source, options) : createSessionVerifier({ ...source, ...options });
  return verifier.verify(token);
}
