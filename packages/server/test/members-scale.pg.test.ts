import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessQuery, membersPageQuery } from '../src/features/organizations/members-queries.js';
import { signedInClient } from './auth-helpers.js';
import { startTestGatehouse, type TestGatehouse } from './harness.js';
import { postgresUrl } from './services.js';

/**
 * 100,000 members in one organization: the members list is a keyset page read through an index
 * (no sort of the whole organization, no count), and membersCount is a counter, not a count(*).
 */
const url = await postgresUrl();
const MEMBERS = 100_000;

describe.skipIf(!url)('members at scale (PostgreSQL)', () => {
  let t: TestGatehouse;
  beforeAll(async () => {
    t = await startTestGatehouse({ postgresUrl: url! });
  });
  afterAll(() => t?.close());

  it(`pages ${MEMBERS.toLocaleString('en')} members through an index, and counts them with a counter`, async () => {
    const s = await signedInClient(t);
    const { organization } = await s.client.organizations.create({ name: 'Big' });
    const db = t.gatehouse.deps.db;
    const user = (g: string) => sql.raw(`'usr_bulk' || lpad(${g}::text, 22, '0')`);
    await sql`insert into users (id, public_metadata, private_metadata, created_at, updated_at)
      select ${user('g')}, '{}', '{}', now(), now() from generate_series(1, ${MEMBERS}) g`.execute(db);
    await sql`insert into memberships (id, organization_id, user_id, role_id, role_scope, created_at, updated_at)
      select 'mem_bulk' || lpad(g::text, 22, '0'), ${organization.id}, ${user('g')}, 'role_member', 'system', now(), now()
      from generate_series(1, ${MEMBERS}) g`.execute(db);
    await sql`analyze memberships`.execute(db);

    expect((await s.client.organizations.get({ organizationId: organization.id })).organization.membersCount).toBe(MEMBERS + 1);
    const deep = Buffer.from(`mem_bulk${String(MEMBERS - 50).padStart(22, '0')}`).toString('base64url');
    const page = await s.client.organizations.members.list({ organizationId: organization.id, limit: 100, cursor: deep });
    expect(page.members).toHaveLength(50);

    const plan = (await membersPageQuery(db, organization.id, { after: 'mem_bulk0000000000000000050000', limit: 100 }).explain())
      .map((r) => Object.values(r)[0])
      .join('\n');
    expect(plan).toMatch(/Index Scan using memberships_\w+ on memberships/);
    expect(plan).not.toMatch(/Sort\s+\(.*\n\s+Sort Key: m\.id/);
    const access = (await accessQuery(db, organization.id, s.user.id).explain()).map((r) => Object.values(r)[0]).join('\n');
    expect(access).not.toMatch(/Seq Scan on memberships/);
  });
});
