import { z } from 'zod';
import { name, PageQuery, page, Timestamp } from '../common.js';
import { idOf } from '../ids.js';
import { backend } from '../operation.js';

const tag = 'Secret keys';

/** An admin secret key, without its secret. */
export const SecretKey = z
  .object({
    id: z.string(),
    name: z.string(),
    env: z.enum(['live', 'test']),
    lastFour: z.string(),
    createdAt: Timestamp,
    lastUsedAt: Timestamp.nullable(),
    revokedAt: Timestamp.nullable(),
  })
  .meta({ id: 'SecretKey' });

const KeyParams = z.strictObject({ keyId: idOf('secretKey') });

export const listSecretKeys = backend({
  name: 'keys.list',
  method: 'GET',
  path: '/keys',
  query: PageQuery,
  output: page(SecretKey),
  summary: 'List secret keys, newest first (never their secrets)',
  tag,
});

export const createSecretKey = backend({
  name: 'keys.create',
  method: 'POST',
  path: '/keys',
  body: z.strictObject({ name: name().default('API key'), env: z.enum(['live', 'test']).default('live') }),
  output: z.object({ secretKey: SecretKey, secret: z.string().meta({ description: 'Shown once; only its hash is stored' }) }),
  summary: 'Create a secret key',
  tag,
});

export const revokeSecretKey = backend({
  name: 'keys.revoke',
  method: 'POST',
  path: '/keys/{keyId}/revoke',
  params: KeyParams,
  output: SecretKey,
  summary: 'Revoke a secret key',
  description: 'Takes effect on the next request. Idempotent.',
  tag,
});

const signingTag = 'Signing keys';

/** A key that signs session JWTs: its public half is in `/.well-known/jwks.json`; its private half never leaves the server. */
export const SigningKey = z
  .object({
    id: z.string().meta({ description: 'The `kid` of the JWTs it signs and of its JWKS entry' }),
    alg: z.enum(['EdDSA', 'ES256']),
    status: z.enum(['active', 'retired']).meta({ description: 'One key is active (signs new tokens); retired keys only verify' }),
    createdAt: Timestamp,
    retiredAt: Timestamp.nullable(),
    revokedAt: Timestamp.nullable().meta({ description: 'When the retired key was revoked: out of the JWKS from then on' }),
    publishedUntil: Timestamp.nullable().meta({
      description:
        'When a retired key leaves the JWKS (tokens it signed stop verifying): its revocation, or the end of its grace period; null while active',
    }),
  })
  .meta({ id: 'SigningKey' });

export const listSigningKeys = backend({
  name: 'signingKeys.list',
  method: 'GET',
  path: '/signing-keys',
  query: PageQuery,
  output: page(SigningKey),
  summary: 'List session-JWT signing keys, newest first (never their private keys)',
  tag: signingTag,
});

export const rotateSigningKey = backend({
  name: 'signingKeys.rotate',
  method: 'POST',
  path: '/signing-keys/rotate',
  output: z.object({ active: SigningKey, retired: SigningKey.nullable() }),
  summary: 'Rotate the session-JWT signing key',
  description:
    'Makes a new active key and retires the previous one, which stays in `/.well-known/jwks.json` until `publishedUntil` so tokens it signed still verify. Every Gatehouse process signs with the new key within seconds.',
  tag: signingTag,
});

export const revokeSigningKey = backend({
  name: 'signingKeys.revoke',
  method: 'POST',
  path: '/signing-keys/{keyId}/revoke',
  params: z.strictObject({ keyId: idOf('signingKey') }),
  output: SigningKey,
  summary: 'Revoke a retired session-JWT signing key (say, its private key leaked)',
  description:
    'It leaves `/.well-known/jwks.json` and the tokens it signed stop verifying at once (on other Gatehouse processes within seconds). Idempotent. The active key answers 409 `conflict`: rotate first.',
  tag: signingTag,
});
