import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SignedInClient, signedInClient } from './auth-helpers.js';
import { startTestGatehouse, type TestGatehouse } from './harness.js';
import { atOnce, outcome } from './races.js';
import { postgresUrl } from './services.js';

/**
 * The last-owner rule under real concurrency. PGlite runs one transaction at a time, so only a
 * real PostgreSQL shows the race (the naive check-then-write lost it 20 of 20 times).
 */
const url = await postgresUrl();
const TRIALS = 20;

describe.skipIf(!url)('last owner under concurrency (PostgreSQL)', () => {
  let t: TestGatehouse;
  let a: SignedInClient;
  let b: SignedInClient;
  beforeAll(async () => {
    t = await startTestGatehouse({ postgresUrl: url! });
    a = await signedInClient(t);
    b = await signedInClient(t);
  });
  afterAll(() => t?.close());

  /** A fresh organization owned by exactly a and b. */
  async function twoOwners(): Promise<string> {
    const org = await t.backend.organizations.create({ name: 'Race', createdBy: a.user.id });
    await t.backend.organizations.members.add(org.id, { userId: b.user.id, role: 'owner' });
    return org.id;
  }

  async function owners(orgId: string): Promise<number> {
    const members = await t.backend.organizations.members.list(orgId, { limit: 100 });
    return members.data.filter((m) => m.role === 'owner').length;
  }

  it(`two owners demoting each other at once leave exactly one owner (${TRIALS} trials)`, async () => {
    for (let i = 0; i < TRIALS; i++) {
      const orgId = await twoOwners();
      const results = await atOnce(t, orgId, [
        () => a.client.organizations.members.setRole({ organizationId: orgId, userId: b.user.id, role: 'member' }),
        () => b.client.organizations.members.setRole({ organizationId: orgId, userId: a.user.id, role: 'member' }),
      ]);
      // The loser's change would leave no owner: that is its answer, not the rights it lost meanwhile.
      expect(results.map(outcome).sort()).toEqual(['last_owner', 'ok']);
      expect(await owners(orgId)).toBe(1);
    }
  });

  it(`two owners removing each other at once leave exactly one owner (${TRIALS} trials)`, async () => {
    for (let i = 0; i < TRIALS; i++) {
      const orgId = await twoOwners();
      const results = await atOnce(t, orgId, [
        () => a.client.organizations.members.remove({ organizationId: orgId, userId: b.user.id }),
        () => b.client.organizations.members.remove({ organizationId: orgId, userId: a.user.id }),
      ]);
      expect(results.map(outcome).sort()).toEqual(['last_owner', 'ok']);
      expect(await owners(orgId)).toBe(1);
    }
  });

  it(`an owner demoted meanwhile cannot demote a third owner: forbidden, the real reason (${TRIALS} trials)`, async () => {
    for (let i = 0; i < TRIALS; i++) {
      const orgId = await twoOwners();
      const c = await signedInClient(t);
      await t.backend.organizations.members.add(orgId, { userId: c.user.id, role: 'owner' });
      // a demotes b while b demotes c. Serialized by the organization lock: b's change succeeds only
      // when it ran first; after a's, b is a member and c's demotion would still leave an owner.
      const [byA, byB] = await Promise.allSettled([
        a.client.organizations.members.setRole({ organizationId: orgId, userId: b.user.id, role: 'member' }),
        b.client.organizations.members.setRole({ organizationId: orgId, userId: c.user.id, role: 'member' }),
      ]);
      expect(outcome(byA)).toBe('ok');
      expect(['ok', 'forbidden']).toContain(outcome(byB));
      expect(await owners(orgId)).toBe(outcome(byB) === 'ok' ? 1 : 2);
    }
  });

  it(`two owners demoting themselves at once leave one owner (${TRIALS} trials)`, async () => {
    for (let i = 0; i < TRIALS; i++) {
      const orgId = await twoOwners();
      const results = await Promise.allSettled([
        a.client.organizations.members.setRole({ organizationId: orgId, userId: a.user.id, role: 'admin' }),
        b.client.organizations.members.setRole({ organizationId: orgId, userId: b.user.id, role: 'admin' }),
      ]);
      expect(results.map(outcome).sort()).toEqual(['last_owner', 'ok']);
      expect(await owners(orgId)).toBe(1);
    }
  });

  it(`two owners leaving at once leave one owner (${TRIALS} trials)`, async () => {
    for (let i = 0; i < TRIALS; i++) {
      const orgId = await twoOwners();
      const results = await Promise.allSettled([
        a.client.organizations.leave({ organizationId: orgId }),
        b.client.organizations.leave({ organizationId: orgId }),
      ]);
      expect(results.map(outcome).sort()).toEqual(['last_owner', 'ok']);
      expect(await owners(orgId)).toBe(1);
    }
  });

  it(`concurrent removal of both owners by the backend leaves one owner (${TRIALS} trials)`, async () => {
    for (let i = 0; i < TRIALS; i++) {
      const orgId = await twoOwners();
      const members = (await t.backend.organizations.members.list(orgId)).data;
      const results = await Promise.allSettled(members.map((m) => t.backend.organizations.members.remove(orgId, m.id)));
      expect(results.map(outcome).sort()).toEqual(['last_owner', 'ok']);
      expect(await owners(orgId)).toBe(1);
    }
  });

  it('deleting both owners as users at once keeps one of them', async () => {
    for (let i = 0; i < 5; i++) {
      const x = await t.backend.users.create({ email: t.email('x') });
      const y = await t.backend.users.create({ email: t.email('y') });
      const org = await t.backend.organizations.create({ name: 'Race', createdBy: x.id });
      await t.backend.organizations.members.add(org.id, { userId: y.id, role: 'owner' });
      const results = await Promise.allSettled([t.backend.users.delete(x.id), t.backend.users.delete(y.id)]);
      expect(results.map(outcome).sort()).toEqual(['last_owner', 'ok']);
      expect(await owners(org.id)).toBe(1);
      expect((await t.backend.organizations.get(org.id)).membersCount).toBe(1);
    }
  });
});
