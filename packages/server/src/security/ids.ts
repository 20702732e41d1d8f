import { randomBytes } from 'node:crypto';
import { type IdKind, idPrefixes } from '@gatehouse/contract';
import { base32 } from './tokens.js';

const RANDOM_BITS = 80n;
const LOW_64 = (1n << 64n) - 1n;

/**
 * The last id body made in this process, as a 128-bit number. Not security state: it only makes ids
 * of one millisecond come out in the order they were made (ULID's monotonic rule), so the events of
 * one transaction, which share one timestamp, list newest first exactly.
 */
let last = 0n;

function encode(body: bigint): string {
  const bytes = Buffer.alloc(16);
  bytes.writeBigUInt64BE(body >> 64n, 0);
  bytes.writeBigUInt64BE(body & LOW_64, 8);
  // 128 bits encode to 26 characters; the first is only ever 0-7.
  return base32(bytes);
}

/**
 * A new id: prefix, then 48 bits of milliseconds and 80 random bits in base32 (26 characters),
 * so ids sort by creation time (keyset pagination uses this) and cannot be guessed.
 *
 * Within a process ids strictly increase: when `now` is not past the last id's millisecond (the
 * same millisecond, or a clock that stepped back), the new id is the last one plus a random step
 * of 1 to 2^32, which keeps it after the last and still hard to guess. Its time part may then run
 * a little ahead of `now`; ids only order, `created_at` columns keep the time.
 */
export function newId(kind: IdKind, now: Date = new Date()): string {
  const fresh = (BigInt(now.getTime()) << RANDOM_BITS) | BigInt(`0x${randomBytes(10).toString('hex')}`);
  last = fresh > last ? fresh : last + 1n + BigInt(randomBytes(4).readUInt32BE());
  return `${idPrefixes[kind]}_${encode(last)}`;
}

/**
 * The smallest id of its kind made at `at` or later: a bound for "events since" range scans on an
 * id index (ids sort by time).
 */
export function idFloor(kind: IdKind, at: Date): string {
  return `${idPrefixes[kind]}_${encode(BigInt(at.getTime()) << RANDOM_BITS)}`;
}
