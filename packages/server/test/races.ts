import { GatehouseError } from '@gatehouse/sdk';
import { sql } from 'kysely';
import type { TestGatehouse } from './harness.js';

// Races on real PostgreSQL: requests that meet under the organization row lock, and how each ended.

/**
 * Run the calls truly at once: hold the organization's row lock until every call has passed its
 * authorization and queued on that lock, then let them race for it. Left alone, one request can
 * finish before the other is even authorized; that one then meets a plain serial refusal (a
 * demoted owner is no longer allowed, 403), which is not the race a test is after.
 */
export async function atOnce(t: TestGatehouse, orgId: string, calls: (() => Promise<unknown>)[]): Promise<PromiseSettledResult<unknown>[]> {
  let settled: Promise<PromiseSettledResult<unknown>[]> | undefined;
  const db = t.gatehouse.deps.db;
  await db.transaction().execute(async (tx) => {
    await tx.selectFrom('organizations').select('id').where('id', '=', orgId).forUpdate().execute();
    const self = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(tx);
    let finished = 0;
    settled = Promise.allSettled(calls.map((call) => call().finally(() => finished++)));
    // Poll (no sleep) until every call waits on our lock or has already answered.
    for (let waiting = 0; waiting + finished < calls.length; ) {
      // Directly behind our lock, or behind a call that is (the second waiter queues on the first).
      const blocked = await sql<{ n: number }>`
        with recursive behind(pid) as (
          select pid from pg_stat_activity where ${self.rows[0]!.pid}::int = any(pg_blocking_pids(pid))
          union
          select a.pid from pg_stat_activity a join behind b on b.pid = any(pg_blocking_pids(a.pid))
        )
        select count(*)::int as n from behind`.execute(db); // another connection: activity is snapshotted per transaction
      waiting = blocked.rows[0]!.n;
    }
  });
  return settled!;
}

export function outcome(result: PromiseSettledResult<unknown>): string {
  if (result.status === 'fulfilled') return 'ok';
  return result.reason instanceof GatehouseError ? result.reason.code : String(result.reason);
}
