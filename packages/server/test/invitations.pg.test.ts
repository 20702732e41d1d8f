import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, signedInClient } from './auth-helpers.js';
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

  // Creates take the organization's lock shared: they run side by side, and the partial unique
  // index (not the lock) keeps one pending invitation per email; a demotion (exclusive) waits for
  // the creates that hold it, and the creates behind it see the demotion.
  it('invitations made at once: one pending per email, and a demotion racing them refuses every later one', async () => {
    const org = await t.backend.organizations.create({ name: 'Busy' });
    const same = t.email();
    const results = await atOnce(t, org.id, [
      ...Array.from({ length: 8 }, () => () => t.backend.organizations.invitations.create(org.id, { email: same, sendEmail: false })),
      ...Array.from({ length: 8 }, () => () => t.backend.organizations.invitations.create(org.id, { email: t.email(), sendEmail: false })),
    ]);
    const outcomes = results.map(outcome);
    expect(outcomes.slice(0, 8).sort()).toEqual([...Array(7).fill('invitation_pending'), 'ok']);
    expect(outcomes.slice(8)).toEqual(Array(8).fill('ok'));
    expect((await t.backend.organizations.invitations.list(org.id)).data).toHaveLength(9);

    const admin = await signedInClient(t);
    const membership = await t.backend.organizations.members.add(org.id, { userId: admin.user.id, role: 'admin' });
    const raced = await atOnce(t, org.id, [
      ...Array.from(
        { length: 6 },
        () => () => admin.client.organizations.invitations.create({ organizationId: org.id, email: t.email(), sendEmail: false }),
      ),
      () => t.backend.organizations.members.update(org.id, membership.id, { role: 'member' }),
    ]);
    const creates = raced.slice(0, 6).map(outcome);
    expect(outcome(raced[6]!)).toBe('ok');
    for (const o of creates) expect(['ok', 'forbidden']).toContain(o);
    // Nothing half-written: exactly the answered creates exist, and none after the demotion is in effect.
    const made = (await t.backend.organizations.invitations.list(org.id)).data.filter((i) => i.inviter?.id === admin.user.id);
    expect(made).toHaveLength(creates.filter((o) => o === 'ok').length);
    expect(
      await failure(admin.client.organizations.invitations.create({ organizationId: org.id, email: t.email(), sendEmail: false })),
    ).toMatchObject({ status: 403, code: 'forbidden' });
  });
});
