import { randomBytes } from 'node:crypto';
import { sha256 } from '../../security/tokens.js';

/** Crockford base32, upper case as a person reads it: no I, L, O or U to mistake. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const GROUPS = 6;
const GROUP_LENGTH = 5;
const LENGTH = GROUPS * GROUP_LENGTH;

/**
 * A new join code: 30 base32 characters (150 bits from the CSPRNG) in dash-separated groups of 5,
 * e.g. `7K3QM-…`. Past 128 bits, guessing is hopeless whatever the rate limit; the groups make it
 * easy to read out and to check after pasting.
 */
export function newJoinCode(): string {
  // 256 is a multiple of 32, so `byte & 31` is uniform: no modulo bias.
  const chars = [...randomBytes(LENGTH)].map((byte) => ALPHABET[byte & 31]);
  const groups: string[] = [];
  for (let i = 0; i < LENGTH; i += GROUP_LENGTH) groups.push(chars.slice(i, i + GROUP_LENGTH).join(''));
  return groups.join('-');
}

/**
 * The canonical form of a code as typed or pasted: case, spaces and dashes do not matter, and the
 * letters Crockford base32 reads as digits (I and L as 1, O as 0) are read so. Undefined when it
 * cannot be a code, which the caller answers like any unknown code.
 */
export function canonicalJoinCode(input: string): string | undefined {
  const text = input
    .toUpperCase()
    .replace(/[\s-]+/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');
  if (text.length !== LENGTH) return undefined;
  for (const ch of text) if (!ALPHABET.includes(ch)) return undefined;
  return text;
}

/** What is stored and looked up: the SHA-256 of the canonical form (a leak reveals no usable code). */
export function joinCodeHash(canonical: string): string {
  return sha256(canonical);
}
