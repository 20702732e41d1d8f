import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SignedInClient, signedInClient } from './auth-helpers.js';
import { startTestGatehouse, type TestGatehouse } from './harness.js';
import { outcome } from './races.js';
import { postgresUrl } from './services.js';

/**
 * Join codes under real concurrency. PGlite runs one transaction at a time, so only a real
 * PostgreSQL shows the race (a read-compare-write redeem over-redeemed 20 of 20 times).
 */
const url = await postgresUrl();
const PEOPLE = 50;
const TRIALS = 5;

describe.skipIf(!url)('join codes under concurrency (PostgreSQL)', () => {
  let t: TestGatehouse;
  const people: SignedInClient[] = [];
  beforeAll(async () => {
    // The limits are not what this file tests: every trial joins from one address.
    t = await startTestGatehouse({ postgresUrl: url!, env: { RATE_LIMITS: 'joinIp=100000/900,joinUser=100000/900' } });
    people.push(...(await Promise.all(Array.from({ length: PEOPLE }, () => signedInClient(t)))));
  }, 120_000);
  afterAll(() => t?.close());

  async function membersOf(orgId: string): Promise<number> {
    return (await t.backend.organizations.get(orgId)).membersCount;
  }

  it(`${PEOPLE} people joining at once with a code of 7 uses: exactly 7 join (${TRIALS} trials)`, async () => {
    for (let i = 0; i < TRIALS; i++) {
      const org = await t.backend.organizations.create({ name: `Rush ${i}` });
      const { code, joinCode } = await t.backend.organizations.joinCodes.create(org.id, { maxUses: 7 });
      const results = await Promise.allSettled(people.map((p) => p.client.organizations.joinCodes.join({ code })));
      const outcomes = results.map(outcome);
      expect(outcomes.filter((o) => o === 'ok')).toHaveLength(7);
      expect(outcomes.filter((o) => o === 'join_code_invalid')).toHaveLength(PEOPLE - 7);
      const [listed] = (await t.backend.organizations.joinCodes.list(org.id)).data;
      expect(listed).toMatchObject({ id: joinCode.id, uses: 7, maxUses: 7, status: 'exhausted' });
      expect(await membersOf(org.id)).toBe(7);
    }
  });

  it(`an unlimited code lets all ${PEOPLE} join at once, counting each use once`, async () => {
    const org = await t.backend.organizations.create({ name: 'Open' });
    const { code } = await t.backend.organizations.joinCodes.create(org.id, { maxUses: null });
    const results = await Promise.allSettled(people.map((p) => p.client.organizations.joinCodes.join({ code })));
    expect(results.map(outcome).every((o) => o === 'ok')).toBe(true);
    expect((await t.backend.organizations.joinCodes.list(org.id)).data[0]).toMatchObject({ uses: PEOPLE, status: 'active' });
    expect(await membersOf(org.id)).toBe(PEOPLE);
  });

  it(`a revoke racing ${PEOPLE} joins: no use is counted after it, and uses = members = successful joins (${TRIALS} trials)`, async () => {
    for (let i = 0; i < TRIALS; i++) {
      const org = await t.backend.organizations.create({ name: `Revoke ${i}` });
      const { code, joinCode } = await t.backend.organizations.joinCodes.create(org.id, { maxUses: 40 });
      const joins = people.map((p) => () => p.client.organizations.joinCodes.join({ code }));
      // The revoke goes out in the middle of the joins.
      const calls = [
        ...joins.slice(0, PEOPLE / 2),
        () => t.backend.organizations.joinCodes.revoke(org.id, joinCode.id),
        ...joins.slice(PEOPLE / 2),
      ];
      const outcomes = (await Promise.allSettled(calls.map((call) => call()))).map(outcome);
      expect(outcomes.every((o) => o === 'ok' || o === 'join_code_invalid')).toBe(true);
      const joined = outcomes.filter((o) => o === 'ok').length - 1; // the revoke's own answer
      const [listed] = (await t.backend.organizations.joinCodes.list(org.id)).data;
      expect(listed).toMatchObject({ status: 'revoked', uses: joined });
      expect(await membersOf(org.id)).toBe(joined);
      // What the revoke saw is final: nobody joined after it.
      const revoked = (await t.backend.organizations.auditLog.list(org.id, { limit: 100 })).data.find(
        (e) => e.action === 'join_code.revoked',
      );
      expect(revoked?.data).toEqual({ uses: joined });
    }
  });
});
