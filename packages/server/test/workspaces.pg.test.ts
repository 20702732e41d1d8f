import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGatehouse, type TestGatehouse } from './harness.js';
import { atOnce, outcome } from './races.js';
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

  it(`never leaves a workspace member outside the organization (${TRIALS} trials)`, async () => {
    const db = t.gatehouse.deps.db;
    for (let i = 0; i < TRIALS; i++) {
      const org = await t.backend.organizations.create({ name: 'Race' });
      const user = await t.backend.users.create({ email: t.email() });
      const membership = await t.backend.organizations.members.add(org.id, { userId: user.id });
      const ws = await t.backend.organizations.createWorkspace(org.id, { name: 'W' });
      const [removed, added] = await atOnce(t, org.id, [
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
