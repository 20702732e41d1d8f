import { createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ConfigError } from '../config.js';
import type { Database } from '../db/schema.js';

const SETTING = 'encryption_key_fingerprint';

/** Names a key without revealing it: an HMAC under the key of a fixed label, 128 bits. */
export function keyFingerprint(key: Buffer): string {
  return createHmac('sha256', key).update('gatehouse encryption key fingerprint v1').digest('base64url').slice(0, 22);
}

/**
 * The first start stores the key's fingerprint; every later start (any process, any engine)
 * must bring the same key. Another key could not open the secrets stored under the first one
 * (signing keys, TOTP secrets), and would only fail later, on the first request that needs one.
 */
export async function assertEncryptionKeyMatches(db: Kysely<Database>, key: Buffer, keySource: string): Promise<void> {
  const fingerprint = keyFingerprint(key);
  await db
    .insertInto('settings')
    .values({ name: SETTING, value: fingerprint })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const stored = await db.selectFrom('settings').select('value').where('name', '=', SETTING).executeTakeFirstOrThrow();
  if (stored.value === fingerprint) return;
  throw new ConfigError(
    `${keySource} is not the key this database was set up with (key fingerprint ${fingerprint}, the database expects ${stored.value}). ` +
      'Start with the original key: the secrets stored under it (signing keys, second factors) cannot be read with another one. ' +
      'Generate a key once (openssl rand -base64 32) and keep it with the database.',
  );
}
