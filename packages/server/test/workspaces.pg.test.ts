import { GatehouseError } from '@gatehouse/sdk';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGatehouse, type TestGatehouse } from './harness.js';
import { postgresUrl } from './services.js';

/**
 * "Remove from the organization" racing "add to a workspace" on real PostgreSQL (PGlite runs one
 * transaction at a time, so only a real server shows the race): a workspace member is never left
 * outside the organization.
 */
const url = await postgresUrl();
const TRIALS = 20;

describe.skipIf(!url)('workspace membership vs org removal under concurrency (PostgreSQL)', () => {
  let t: TestGatehouse;
  beforeAll(async () => {
    t = await startTestGatehouse({ postgresUrl: url! });
  });
  afterAll(() => t?.close());

  /** Hold the organization's row lock until both calls queue on it, then let them race (see last-owner.pg.test.ts). */
  async function atOnce(orgId: string, calls: (() => Promise<unknown>)[]): Promise<PromiseSettledResult<unknown>[]> {
    let settled: Promise<PromiseSettledResult<unknown>[]> | undefined;
    const db = t.gatehouse.deps.db;
    await db.transaction().execute(async (tx) => {
      await tx.selectFrom('organizations').select('id').where('id', '=', orgId).forUpdate().execute();
      const self = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(tx);
      let finished = 0;
      settled = Promise.allSettled(calls.map((call) => call().finally(() => finished++)));
      for (let waiting = 0; waiting + finished < calls.length; ) {
        const blocked = await sql<{ n: number }>`
          with recursive behind(pid) as (
            select pid from pg_stat_activity where ${self.rows[0]!.pid}::int = any(pg_blocking_pids(pid))
            union
            select a.pid from pg_stat_activity a join behind b on b.pid = any(pg_blocking_pids(a.pid))
          )
          select count(*)::int as n from behind`.execute(db);
        waiting = blocked.rows[0]!.n;
      }
    });
    return settled!;
  }

  function outcome(result: PromiseSettledResult<unknown>): string {
    if (result.status === 'fulfilled') return 'ok';
    return result.reason instanceof GatehouseError ? result.reason.code : String(result.reason);
  }

  it(`never leaves a workspace member outside the organization (${TRIALS} trials)`, async () => {
    const db = t.gatehouse.deps.db;
    for (let i = 0; i < TRIALS; i++) {
      const org = await t.backend.organizations.create({ name: 'Race' });
      const user = await t.backend.users.create({ email: t.email() });
      const membership = await t.backend.organizations.members.add(org.id, { userId: user.id });
      const ws = await t.backend.organizations.createWorkspace(org.id, { name: 'W' });
      const [removed, added] = await atOnce(org.id, [
        () => t.backend.organizations.members.remove(org.id, membership.id),
        () => t.backend.workspaces.members.add(ws.id, { userId: user.id }),
      ]);
      expect(outcome(removed!)).toBe('ok');
      expect(['ok', 'conflict']).toContain(outcome(added!));
      const orphans = await sql<{ n: number }>`
        select count(*)::int as n from workspace_memberships wm
        where wm.workspace_id = ${ws.id}
          and not exists (select 1 from memberships m where m.organization_id = wm.organization_id and m.user_id = wm.user_id)`.execute(db);
      expect(orphans.rows[0]!.n).toBe(0);
      expect((await t.backend.workspaces.members.list(ws.id)).data).toEqual([]);
    }
  });
});
