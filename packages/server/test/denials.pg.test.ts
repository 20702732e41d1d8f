import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, signedInClient } from './auth-helpers.js';
import { startTestGatehouse, type TestGatehouse } from './harness.js';
import { postgresUrl } from './services.js';

/** Two connections at once: only a real PostgreSQL can hold a lock while another request runs. */
const url = await postgresUrl();

describe.skipIf(!url)('recording refusals (PostgreSQL)', () => {
  let t: TestGatehouse;
  beforeAll(async () => {
    t = await startTestGatehouse({ postgresUrl: url! });
  });
  afterAll(() => t?.close());

  it('a refusal never waits for another one recording the same denial', async () => {
    const owner = await signedInClient(t);
    const member = await signedInClient(t);
    const { organization } = await owner.client.organizations.create({ name: 'Denials' });
    await t.backend.organizations.members.add(organization.id, { userId: member.user.id, role: 'member' });
    const rename = () => failure(member.client.organizations.update({ organizationId: organization.id, name: 'Mine' }));
    const key = ['authz.denied', organization.id, 'user', member.user.id, '/v1/organizations/update'].join(' ');
    // Another connection holds the denial's lock, as a concurrent refusal would while recording: the
    // refusal answers 403 at once (it would hang here if it waited) and leaves the event to the holder.
    await t.gatehouse.deps.db.transaction().execute(async (tx) => {
      await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(tx);
      expect((await rename()).code).toBe('forbidden');
    });
    const denied = async () =>
      (await owner.client.organizations.auditLog.list({ organizationId: organization.id })).events.filter(
        (e) => e.action === 'authz.denied',
      );
    expect(await denied()).toHaveLength(0);
    expect((await rename()).code).toBe('forbidden');
    expect(await denied()).toHaveLength(1);
  });
});
