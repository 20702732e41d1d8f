import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RETENTION, type SweepResult, startSweeper, sweepExpired } from '../src/features/maintenance/sweep.js';
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

    // Codes and links go a day after they expired. The revoked session stays 30 days past its
    // expires_at (revoking left it alone), which is not reached yet.
    t.clock.advance(RETENTION.sessionsMs + 60_000);
    const later = await sweepExpired(db, t.clock.now());
    expect(later.verifications).toBeGreaterThanOrEqual(1);
    expect(later.resets).toBeGreaterThanOrEqual(1);
    expect(later.sessions).toBe(0);
    expect(await count('email_verifications')).toBe(0);
    expect(await count('password_resets')).toBe(0);
    expect(await count('sessions')).toBe(1);

    // Past its idle expiry plus 30 days, it goes.
    t.clock.advance(t.gatehouse.deps.config.sessionIdleTtlSeconds * 1000);
    const live = await signedInClient(t);
    const swept = await sweepExpired(db, t.clock.now());
    expect(swept.sessions).toBe(1);
    // The session made after the jump is untouched and still works.
    expect((await live.client.me.get()).user.id).toBe(live.user.id);
    expect(await count('sessions')).toBe(1);
  });

  it('finds its rows through an index on every table, never a sequential scan', async () => {
    const tables = ['rate_limits', 'email_verifications', 'password_resets', 'sessions', 'outbox_messages'];
    const indexes = [
      'rate_limits_expire',
      'email_verifications_expires',
      'password_resets_expires',
      'sessions_expires',
      'outbox_messages_done',
    ];
    // Live rows in every table: a plan over an empty table may end before it reaches the index.
    const user = await signedInClient(t);
    await t.client().auth.requestPasswordReset({ email: user.user.email });
    await t.gatehouse.deps.db
      .insertInto('rate_limits')
      .values({ key: 'test:live', points: 1, expire: t.clock.now().getTime() + 60_000 })
      .execute();
    await t.gatehouse.deps.db.transaction().execute(async (tx) => {
      // Scan counts of this transaction (on PGlite, also earlier ones not flushed yet: hence the difference).
      const scans = async () => {
        const { rows } = await sql<{ name: string; scans: number }>`
          select relname as name, seq_scan as scans from pg_stat_xact_user_tables
          where schemaname = current_schema() and relname in (${sql.join(tables)})
          union all
          select indexrelname, pg_stat_get_xact_numscans(indexrelid) from pg_stat_user_indexes
          where schemaname = current_schema() and indexrelname in (${sql.join(indexes)})
        `.execute(tx);
        return new Map(rows.map((r) => [r.name, Number(r.scans)]));
      };
      // Tables this small are cheaper to scan: make scanning the last resort, so a plan without a
      // usable index (a predicate that does not match its index) shows up as a sequential scan.
      await sql`set local enable_seqscan = off`.execute(tx);
      const before = await scans();
      await sweepExpired(tx, t.clock.now());
      const after = await scans();
      const delta = Object.fromEntries([...after].map(([name, n]) => [name, n - (before.get(name) ?? 0)]));
      expect(Object.fromEntries(tables.map((name) => [name, delta[name]]))).toEqual(Object.fromEntries(tables.map((name) => [name, 0])));
      expect(indexes.filter((name) => (delta[name] ?? 0) > 0)).toEqual(indexes);
    });
  });
});

/** A sweep the test finishes by hand. */
function controlledSweep() {
  const finish: ((outcome?: Error) => void)[] = [];
  let running = 0;
  let mostAtOnce = 0;
  const nothing: SweepResult = {
    rateLimits: 0,
    verifications: 0,
    resets: 0,
    secondFactorAttempts: 0,
    webauthnChallenges: 0,
    oauthStates: 0,
    sessions: 0,
    outbox: 0,
  };
  const sweep = () =>
    new Promise<SweepResult>((resolve, reject) => {
      running++;
      mostAtOnce = Math.max(mostAtOnce, running);
      finish.push((error) => {
        running--;
        if (error) reject(error);
        else resolve(nothing);
      });
    });
  return { sweep, finish, mostAtOnce: () => mostAtOnce };
}

describe('the sweeper', () => {
  it('starts each sweep a period after the previous one ended, and stop() waits for the one running', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const control = controlledSweep();
      const lines: { msg: string }[] = [];
      const log = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
      const sweeper = startSweeper({ ...t.gatehouse.deps, log }, { everyMs: 1000, sweep: control.sweep });
      await vi.advanceTimersByTimeAsync(999);
      expect(control.finish).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(1);
      expect(control.finish).toHaveLength(1);
      // A slow sweep: however long it runs, no second one starts beside it.
      await vi.advanceTimersByTimeAsync(10_000);
      expect(control.finish).toHaveLength(1);
      // It fails: logged, and the next round comes a period later.
      control.finish[0]!(new Error('database gone'));
      await vi.advanceTimersByTimeAsync(999);
      expect(control.finish).toHaveLength(1);
      expect(lines.map((l) => l.msg)).toEqual(['sweeping expired rows failed; retrying next round']);
      await vi.advanceTimersByTimeAsync(1);
      expect(control.finish).toHaveLength(2);

      let stopped = false;
      const stopping = sweeper.stop().then(() => {
        stopped = true;
      });
      await vi.advanceTimersByTimeAsync(10_000);
      expect(stopped).toBe(false);
      control.finish[1]!();
      await stopping;
      // Nothing after stop().
      await vi.advanceTimersByTimeAsync(10_000);
      expect(control.finish).toHaveLength(2);
      expect(control.mostAtOnce()).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
