import { GatehouseError } from '@gatehouse/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SignedInClient, signedInClient } from './auth-helpers.js';
import { startTestGatehouse, type TestGatehouse } from './harness.js';
import { postgresUrl } from './services.js';

/**
 * `session/set-active` racing the removals of a member. Before the lock order was fixed, it took
 * the membership row and then (through its foreign key) the organization row, while removals take
 * the organization first: PostgreSQL killed one side as a deadlock victim (40P01) and both
 * answered 500 in about a third of trials. Only a real PostgreSQL runs them at once.
 */
const url = await postgresUrl();
const TRIALS = 12;

describe.skipIf(!url)('set-active racing removals (PostgreSQL)', () => {
  let t: TestGatehouse;
  let owner: SignedInClient;
  beforeAll(async () => {
    t = await startTestGatehouse({ postgresUrl: url! });
    owner = await signedInClient(t);
  });
  afterAll(() => t?.close());

  /** Never a 5xx: each side either succeeds or gets a 4xx it can act on. */
  async function race(calls: (() => Promise<unknown>)[]): Promise<void> {
    const results = await Promise.allSettled(calls.map((call) => call()));
    for (const r of results) {
      if (r.status === 'fulfilled') continue;
      expect(r.reason).toBeInstanceOf(GatehouseError);
      expect((r.reason as GatehouseError).status, (r.reason as Error).message).toBeLessThan(500);
    }
  }

  async function orgWithMember(): Promise<{ orgId: string; member: SignedInClient; membershipId: string }> {
    const member = await signedInClient(t);
    const org = await t.backend.organizations.create({ name: 'Race', createdBy: owner.user.id });
    const added = await t.backend.organizations.members.add(org.id, { userId: member.user.id, role: 'member' });
    return { orgId: org.id, member, membershipId: added.id };
  }

  const removals: Record<string, (s: Awaited<ReturnType<typeof orgWithMember>>) => Promise<unknown>> = {
    'member removal': (s) => t.backend.organizations.members.remove(s.orgId, s.membershipId),
    leave: (s) => s.member.client.organizations.leave({ organizationId: s.orgId }),
    'organization delete': (s) => t.backend.organizations.delete(s.orgId),
    'user delete': (s) => t.backend.users.delete(s.member.user.id),
  };

  for (const [name, remove] of Object.entries(removals)) {
    it(`never answers 500 against ${name}`, async () => {
      for (let trial = 0; trial < TRIALS; trial++) {
        const s = await orgWithMember();
        await race([
          () => s.member.client.session.setActive({ organizationId: s.orgId }),
          () => s.member.client.session.setActive({ organizationId: s.orgId }),
          () => remove(s),
        ]);
      }
    });
  }
});
