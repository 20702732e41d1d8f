import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Secrets at rest (TOTP secrets, JWT private keys) under GATEHOUSE_ENCRYPTION_KEY, with AES-256-GCM:
 * authenticated, so a modified ciphertext fails to decrypt instead of yielding a wrong secret.
 *
 * Format: `v1.<iv>.<ciphertext>.<tag>` (base64url). The version prefix lets a later format or key
 * rotation coexist with rows written today.
 */
const VERSION = 'v1';
const IV_BYTES = 12; // 96-bit IV: the size GCM is specified for (NIST SP 800-38D §8.2).
const TAG_BYTES = 16;

/** Thrown when a ciphertext cannot be opened: tampered, truncated, or made under another key. */
export class DecryptionError extends Error {
  override name = 'DecryptionError';
}

function checkKey(key: Buffer): void {
  if (key.length !== 32) throw new Error('The encryption key must be 32 bytes (AES-256).');
}

/**
 * Encrypt `plaintext`. `context` (e.g. the row id) is bound as additional authenticated data, so
 * a ciphertext copied into another row does not decrypt there. A fresh random IV per call: GCM
 * must never reuse an IV under one key.
 */
export function encrypt(key: Buffer, plaintext: string, context = ''): string {
  checkKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64url'), ciphertext.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
}

/** Decrypt what {@link encrypt} made with the same key and context; throws {@link DecryptionError} otherwise. */
export function decrypt(key: Buffer, payload: string, context = ''): string {
  checkKey(key);
  const [version, iv, ciphertext, tag, ...rest] = payload.split('.');
  if (version !== VERSION || iv === undefined || ciphertext === undefined || tag === undefined || rest.length > 0) {
    throw new DecryptionError('Not a ciphertext this version of Gatehouse understands.');
  }
  const ivBytes = Buffer.from(iv, 'base64url');
  const tagBytes = Buffer.from(tag, 'base64url');
  if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) throw new DecryptionError('Malformed ciphertext.');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, ivBytes, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tagBytes);
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new DecryptionError('The ciphertext was modified, or was made with another GATEHOUSE_ENCRYPTION_KEY.');
  }
}
