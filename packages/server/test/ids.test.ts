import { describe, expect, it } from 'vitest';
import { idFloor, newId } from '../src/security/ids.js';

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

/** An id's 128-bit body: 26 base32 characters, 130 bits, the last two padding. */
function bodyOf(id: string): bigint {
  const digits = id.slice(id.indexOf('_') + 1);
  return [...digits].reduce((n, c) => n * 32n + BigInt(CROCKFORD.indexOf(c)), 0n) >> 2n;
}

describe('ids', () => {
  it('strictly increase within one millisecond, so events of one transaction list in order', () => {
    const at = new Date('2030-01-01T00:00:00.000Z');
    const ids = Array.from({ length: 1000 }, () => newId('event', at));
    expect(new Set(ids).size).toBe(1000);
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids) expect(id).toMatch(/^evt_[0-9a-hjkmnp-tv-z]{26}$/);
  });

  it('keep increasing when the clock steps back, and start fresh when it moves on', () => {
    const later = newId('event', new Date('2030-01-01T00:00:01.000Z'));
    const earlier = newId('event', new Date('2030-01-01T00:00:00.000Z'));
    expect(earlier > later).toBe(true);
    const next = newId('event', new Date('2030-01-01T00:00:02.000Z'));
    expect(next > idFloor('event', new Date('2030-01-01T00:00:02.000Z'))).toBe(true);
    expect(next < idFloor('event', new Date('2030-01-01T00:00:02.001Z'))).toBe(true);
  });

  it('idFloor is below every id of its millisecond and above every id before it', () => {
    const at = new Date('2031-06-01T12:00:00.000Z');
    const before = newId('event', new Date(at.getTime() - 1));
    const floor = idFloor('event', at);
    const id = newId('event', at);
    expect(before < floor && floor < id).toBe(true);
  });

  it('are not secrets: after the first of a millisecond, the next is mostly the last plus 1 to 2^32', () => {
    const at = new Date('2032-01-01T00:00:00.000Z');
    const ids = Array.from({ length: 1000 }, () => newId('event', at));
    expect(bodyOf(ids[0]!) >> 80n).toBe(BigInt(at.getTime()));
    const steps = ids.slice(1).map((id, i) => bodyOf(id) - bodyOf(ids[i]!));
    expect(steps.every((step) => step >= 1n)).toBe(true);
    // A fresh random id wins only while it beats the last one: about ln(1000) ≈ 7 times here.
    expect(steps.filter((step) => step <= 2n ** 32n).length).toBeGreaterThan(900);
  });
});
