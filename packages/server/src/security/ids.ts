import { randomBytes } from 'node:crypto';
import { type IdKind, idPrefixes } from '@gatehouse/contract';
import { base32 } from './tokens.js';

/**
 * A new id: prefix, then 48 bits of milliseconds and 80 random bits in base32 (26 characters),
 * so ids sort by creation time (keyset pagination uses this) and cannot be guessed.
 */
export function newId(kind: IdKind, now: Date = new Date()): string {
  const bytes = Buffer.alloc(16);
  bytes.writeUIntBE(now.getTime(), 0, 6);
  randomBytes(10).copy(bytes, 6);
  // 128 bits encode to 26 characters; the first is only ever 0-7.
  return `${idPrefixes[kind]}_${base32(bytes)}`;
}
