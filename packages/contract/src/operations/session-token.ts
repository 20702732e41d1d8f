import { z } from 'zod';
import { Timestamp } from '../common.js';
import { backend, frontend } from '../operation.js';

const tag = 'Sessions';

/** A short-lived session JWT for the SaaS team's own servers. */
export const SessionToken = z
  .object({
    token: z.string().meta({ description: 'A JWT signed with a key of `/.well-known/jwks.json` (EdDSA)' }),
    expiresAt: Timestamp,
  })
  .meta({ id: 'SessionToken' });

/**
 * The claims of a session JWT. `sub` is the user id, `sid` the session id; the `org_*` claims
 * describe the session's active organization (absent when none is active), `ws_*` its active workspace.
 */
export const SessionClaims = z
  .looseObject({
    sub: z.string(),
    sid: z.string(),
    iss: z.string().optional(),
    iat: z.number().int().optional(),
    exp: z.number().int().optional(),
    org_id: z.string().optional(),
    org_role: z.string().optional(),
    org_permissions: z.array(z.string()).optional(),
    ws_id: z.string().optional(),
    ws_role: z.string().optional(),
    ws_permissions: z.array(z.string()).optional(),
  })
  .meta({ id: 'SessionClaims' });

export const createSessionToken = frontend({
  name: 'session/token',
  input: z.strictObject({}),
  output: SessionToken,
  auth: 'user',
  summary: 'Mint a short-lived JWT of this session for your own servers',
  description:
    'Claims: `sub` (user id), `sid` (session id), `iss`, `iat`, `exp`, and the active organization (`org_id`, `org_role`, `org_permissions`). Verify it offline with `verifySessionToken` of @gatehouse/sdk against `/.well-known/jwks.json`.',
  tag,
});

/** The answer of `POST /sessions/verify`: nulls and `valid: false` for a token that is not good. */
export const SessionVerification = z
  .object({
    valid: z.boolean(),
    userId: z.string().nullable(),
    sessionId: z.string().nullable(),
    claims: SessionClaims.nullable().meta({
      description: "The JWT's verified claims, or for an opaque token the claims a JWT minted now would carry",
    }),
  })
  .meta({ id: 'SessionVerification' });

export const verifySession = backend({
  name: 'sessions.verify',
  method: 'POST',
  path: '/sessions/verify',
  body: z.strictObject({
    token: z.string().max(8192).meta({ description: 'An opaque session token `ses_….<secret>` or a session JWT' }),
  }),
  output: SessionVerification,
  summary: 'Verify a session token or session JWT',
  description:
    'Answers 200 with `valid: false` for a malformed, unknown, expired, tampered or revoked token (401 is only for a bad secret key). A JWT is valid only while its session is still active.',
  tag,
});
