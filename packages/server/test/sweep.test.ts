import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RETENTION, sweepExpired } from '../src/features/maintenance/sweep.js';
import { DEFAULT_PASSWORD, signedInClient } from './auth-helpers.js';
import { startTestGatehouse, type TestGatehouse } from './harness.js';

let t: TestGatehouse;
beforeAll(async () => {
  t = await startTestGatehouse();
});
afterAll(() => t.close());

const count = async (table: 'sessions' | 'email_verifications' | 'password_resets' | 'rate_limits') =>
  Number(
    (
      await t.gatehouse.deps.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('sweeping expired rows', () => {
  it('deletes abandoned sign-ups, old reset links, long-dead sessions and stale counters, and nothing live', async () => {
    const db = t.gatehouse.deps.db;
    const anonymous = t.client();
    await anonymous.auth.signUp({ email: t.email('abandoned'), password: DEFAULT_PASSWORD });
    const revoked = await signedInClient(t);
    await anonymous.auth.requestPasswordReset({ email: revoked.user.email });
    await revoked.client.auth.signOut();
    await db
      .insertInto('rate_limits')
      .values({ key: 'test:stale', points: 1, expire: t.clock.now().getTime() - 1 })
      .execute();
    expect(await count('email_verifications')).toBeGreaterThan(0);

    // Nothing is old enough yet: only the stale counter goes.
    const early = await sweepExpired(db, t.clock.now());
    expect(early).toMatchObject({ verifications: 0, resets: 0, sessions: 0 });
    expect(early.rateLimits).toBeGreaterThanOrEqual(1);

    t.clock.advance(RETENTION.sessionsMs + 60_000);
    const live = await signedInClient(t);
    const swept = await sweepExpired(db, t.clock.now());
    expect(swept.verifications).toBeGreaterThanOrEqual(1);
    expect(swept.resets).toBeGreaterThanOrEqual(1);
    expect(swept.sessions).toBeGreaterThanOrEqual(1);
    expect(await count('email_verifications')).toBe(0);
    expect(await count('password_resets')).toBe(0);
    // The session made after the jump is untouched and still works.
    expect((await live.client.me.get()).user.id).toBe(live.user.id);
    expect(await count('sessions')).toBe(1);
  });
});
