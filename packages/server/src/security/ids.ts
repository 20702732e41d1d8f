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
 * so ids sort by creation time (keyset pagination uses this) and two processes practically never
 * make the same one.
 *
 * Within a process ids strictly increase: the new id is the larger of a fresh one and the last one
 * plus a random step of 1 to 2^32. A fresh id wins whenever `now` is past the last id's
 * millisecond; within one millisecond (or when the clock stepped back) it wins only if its random
 * bits happen to exceed the last's, which gets rarer with each id of that millisecond. Its time
 * part may run a little ahead of `now`; ids only order, `created_at` columns keep the time.
 *
 * Ids are not secrets, and nothing may rely on them being unguessable: the time part is public,
 * and an id made in the same millisecond as a known one is usually that id plus at most 2^32.
 * They are shown to members and written in logs; access is decided by authorization, never by
 * knowing an id.
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
