import { z } from 'zod';
import { name, page, Timestamp } from '../common.js';
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
  output: page(SecretKey),
  summary: 'List secret keys (never their secrets)',
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
