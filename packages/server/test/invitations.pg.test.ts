import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInClient } from './auth-helpers.js';
import { startTestGatehouse, type TestGatehouse } from './harness.js';
import { atOnce, outcome } from './races.js';
import { postgresUrl } from './services.js';

/**
 * Racing accepts, and revoke racing accept, on real PostgreSQL (PGlite runs one transaction at a
 * time, so only a real server shows a race): never two memberships, never an accepted invitation
 * that was also revoked.
 */
const url = await postgresUrl();
const TRIALS = 10;

describe.skipIf(!url)('invitations under concurrency (PostgreSQL)', () => {
  let t: TestGatehouse;
  beforeAll(async () => {
    t = await startTestGatehouse({ postgresUrl: url! });
  });
  afterAll(() => t?.close());

  async function memberships(orgId: string, userId: string) {
    const rows = await sql<{
      n: number;
    }>`select count(*)::int as n from memberships where organization_id = ${orgId} and user_id = ${userId}`.execute(t.gatehouse.deps.db);
    return rows.rows[0]!.n;
  }

  it(`two accepts of one invitation make one membership (${TRIALS} trials)`, async () => {
    const invitee = await signedInClient(t);
    // A second session of the same user: two tabs.
    const tab = t.client({ tokenTransport: 'header' });
    await tab.auth.signIn({ email: invitee.user.email, password: invitee.password });
    for (let i = 0; i < TRIALS; i++) {
      const org = await t.backend.organizations.create({ name: 'Race' });
      const ws = await t.backend.organizations.createWorkspace(org.id, { name: 'W' });
      const { token } = await t.backend.organizations.invitations.create(org.id, { email: invitee.user.email, workspaceId: ws.id });
      const results = await atOnce(t, org.id, [
        () => invitee.client.organizations.invitations.accept({ token }),
        () => tab.organizations.invitations.accept({ token }),
      ]);
      expect(results.map(outcome)).toEqual(['ok', 'ok']);
      const created = results.map((r) => (r as PromiseFulfilledResult<{ alreadyMember: boolean }>).value.alreadyMember).sort();
      expect(created).toEqual([false, true]);
      expect(await memberships(org.id, invitee.user.id)).toBe(1);
      expect((await t.backend.workspaces.members.list(ws.id)).data).toHaveLength(1);
    }
  });

  it(`revoke racing accept: exactly one wins, and the state matches it (${TRIALS} trials)`, async () => {
    const invitee = await signedInClient(t);
    const seen = new Set<string>();
    for (let i = 0; i < TRIALS; i++) {
      const org = await t.backend.organizations.create({ name: 'Race' });
      const { token, invitation } = await t.backend.organizations.invitations.create(org.id, { email: invitee.user.email });
      const [accepted, revoked] = await atOnce(t, org.id, [
        () => invitee.client.organizations.invitations.accept({ token }),
        () => t.backend.organizations.invitations.discard(org.id, invitation.id),
      ]);
      const pair = `${outcome(accepted!)}/${outcome(revoked!)}`;
      seen.add(pair);
      expect(['ok/invitation_accepted', 'invitation_revoked/ok']).toContain(pair);
      const [final] = (await t.backend.organizations.invitations.list(org.id, { includeDeleted: true })).data;
      expect(await memberships(org.id, invitee.user.id)).toBe(pair.startsWith('ok') ? 1 : 0);
      expect(final?.status).toBe(pair.startsWith('ok') ? 'accepted' : 'revoked');
    }
    expect(seen.size).toBeGreaterThan(0);
  });
});
