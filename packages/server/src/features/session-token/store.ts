import { importJWK, type JWK, type JWTHeaderParameters } from 'jose';
import type { Deps } from '../../deps.js';
import { decrypt } from '../../security/encryption.js';
import { ensureActiveSigningKey, listPublishedSigningKeys, privateKeyContext, retiredKeyGraceMs, type SigningKeyRow } from './keys.js';

/** How often the published keys are re-read, so a rotation in another process is seen within seconds. */
const REFRESH_MS = 5000;

type SigningKeyObject = Awaited<ReturnType<typeof importJWK>>;

/** The active key, ready to sign. */
export interface ActiveSigningKey {
  kid: string;
  alg: SigningKeyRow['alg'];
  key: SigningKeyObject;
}

export interface SigningKeyStore {
  /** The active key (made on first use), decrypted once per key. */
  activeKey(): Promise<ActiveSigningKey>;
  /** The public JWKS: the active key and retired keys still in their grace period. */
  jwks(): Promise<{ keys: JWK[] }>;
  /** The public key for a JWT header; re-reads the keys once for an unknown `kid` (a rotation elsewhere). */
  publicKeyFor(header: JWTHeaderParameters): Promise<SigningKeyObject>;
  /** Re-read the keys now: after a rotation made by this process, it signs with the new key at once. */
  refresh(): Promise<void>;
}

/**
 * Signing keys of one app instance. The cache lives in this closure (one per app, never module
 * state), holds decrypted keys only in memory, and expires after a few seconds so every process
 * follows a rotation made by another.
 */
export function createSigningKeyStore(deps: Pick<Deps, 'db' | 'clock' | 'config' | 'encryptionKey'>): SigningKeyStore {
  const graceMs = retiredKeyGraceMs(deps.config.sessionTokenTtlSeconds);
  let cached: { at: number; rows: SigningKeyRow[] } | undefined;
  let loading: Promise<SigningKeyRow[]> | undefined;
  const privateKeys = new Map<string, SigningKeyObject>();
  const publicKeys = new Map<string, SigningKeyObject>();

  const load = (force: boolean): Promise<SigningKeyRow[]> => {
    const now = deps.clock.now().getTime();
    const fresh = cached && now - cached.at < REFRESH_MS && now >= cached.at;
    if (fresh && !force && cached) return Promise.resolve(cached.rows);
    // One read in flight at a time, however many requests ask together; a forced read may not reuse
    // one that started before the change it must see.
    if (loading && !force) return loading;
    const read = listPublishedSigningKeys(deps.db, new Date(now), graceMs)
      .then((rows) => {
        cached = { at: now, rows };
        // Forget keys no longer published, so the maps stay as small as the JWKS.
        for (const map of [privateKeys, publicKeys]) {
          for (const kid of map.keys()) if (!rows.some((r) => r.id === kid)) map.delete(kid);
        }
        return rows;
      })
      .finally(() => {
        if (loading === read) loading = undefined;
      });
    loading = read;
    return read;
  };

  const activeRow = async (): Promise<SigningKeyRow> => {
    const active = (await load(false)).find((r) => r.status === 'active');
    if (active) return active;
    await ensureActiveSigningKey(deps.db, deps.encryptionKey, deps.clock.now());
    const made = (await load(true)).find((r) => r.status === 'active');
    if (!made) throw new Error('No active signing key after creating one.');
    return made;
  };

  return {
    async activeKey() {
      const row = await activeRow();
      let key = privateKeys.get(row.id);
      if (!key) {
        const jwk = JSON.parse(decrypt(deps.encryptionKey, row.private_key_encrypted, privateKeyContext(row.id))) as JWK;
        key = await importJWK(jwk, row.alg);
        privateKeys.set(row.id, key);
      }
      return { kid: row.id, alg: row.alg, key };
    },

    async jwks() {
      let rows = await load(false);
      if (!rows.some((r) => r.status === 'active')) {
        await activeRow();
        rows = await load(false);
      }
      return { keys: rows.map((r) => r.public_jwk as JWK) };
    },

    async publicKeyFor(header) {
      const kid = header.kid;
      if (!kid) throw new UnknownKeyError();
      let row = (await load(false)).find((r) => r.id === kid);
      row ??= (await load(true)).find((r) => r.id === kid);
      if (!row || row.alg !== header.alg) throw new UnknownKeyError();
      let key = publicKeys.get(kid);
      if (!key) {
        key = await importJWK(row.public_jwk as JWK, row.alg);
        publicKeys.set(kid, key);
      }
      return key;
    },

    async refresh() {
      await load(true);
    },
  };
}

/** A JWT names a key that is not (or no longer) published. */
export class UnknownKeyError extends Error {
  override name = 'UnknownKeyError';
  constructor() {
    super('The token was signed with a key Gatehouse does not publish.');
  }
}
