import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

/** Lower-case Crockford base32 of some bytes (no padding): easy to copy, no ambiguous letters. */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += CROCKFORD[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += CROCKFORD[(buffer << (5 - bits)) & 31];
  return out;
}

/** A random secret of `bytes` bytes (default 32 = 256 bits) from the CSPRNG, base32-encoded. */
export function randomSecret(bytes = 32): string {
  return base32(randomBytes(bytes));
}

/** SHA-256 as hex. High-entropy secrets are stored only as this: a database leak reveals no usable token. */
export function sha256(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Compare two secrets in constant time, by their digests so that lengths leak nothing either. */
export function secretsEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}
