import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJoinCode } from '../src/features/join-codes/code.js';
import { failure, rawPost, type SignedInClient, signedInClient } from './auth-helpers.js';
import { startTestGatehouse, type TestGatehouse } from './harness.js';

const DAY = 24 * 60 * 60 * 1000;

let t: TestGatehouse;
beforeAll(async () => {
  // Generous join limits here: the limits themselves have their own server below.
  t = await startTestGatehouse({ env: { RATE_LIMITS: 'joinIp=10000/900,joinUser=1000/900' } });
});
afterAll(() => t.close());

/** An organization owned by a signed-in user, plus signed-in members with the given roles. */
async function team(roles: string[] = []) {
  const owner = await signedInClient(t);
  const { organization } = await owner.client.organizations.create({ name: 'Join' });
  const members: SignedInClient[] = [];
  for (const role of roles) {
    const m = await signedInClient(t);
    await t.backend.organizations.members.add(organization.id, { userId: m.user.id, role });
    members.push(m);
  }
  return { owner, orgId: organization.id, members };
}

async function events(orgId: string) {
  return (await t.backend.organizations.auditLog.list(orgId, { limit: 100 })).data;
}

describe('join codes: create, list, revoke', () => {
  it('create shows the code once, as 30 base32 characters in groups of 5; list never shows it', async () => {
    const { owner, orgId } = await team();
    const created = await owner.client.organizations.joinCodes.create({ organizationId: orgId, maxUses: 3 });
    expect(created.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){5}$/);
    const now = t.clock.now().getTime();
    expect(created.joinCode).toMatchObject({
      id: expect.stringMatching(/^jc_/),
      organizationId: orgId,
      role: 'member',
      roleId: 'role_member',
      maxUses: 3,
      uses: 0,
      status: 'active',
      revokedAt: null,
    });
    // Default expiry: 7 days.
    expect(Math.abs(Date.parse(created.joinCode.expiresAt!) - (now + 7 * DAY))).toBeLessThan(60_000);
    const listed = await owner.client.organizations.joinCodes.list({ organizationId: orgId });
    expect(listed).toEqual({ joinCodes: [created.joinCode], hasMore: false, nextCursor: null });
    expect(JSON.stringify(listed)).not.toContain(created.code);
    const backendList = await t.backend.organizations.joinCodes.list(orgId);
    expect(backendList.data).toEqual([created.joinCode]);
    expect(JSON.stringify(backendList)).not.toContain(created.code);
    // Stored as a hash only: no column holds the code in any form.
    const rows = await t.gatehouse.deps.db.selectFrom('join_codes').selectAll().where('id', '=', created.joinCode.id).execute();
    expect(JSON.stringify(rows)).not.toContain(created.code);
    expect(JSON.stringify(rows).toUpperCase()).not.toContain(canonicalJoinCode(created.code)!);
  });

  it('maxUses null or absent is unlimited; expiresAt null never expires; a given expiry must be in the future (400)', async () => {
    const { orgId } = await team();
    const unlimited = await t.backend.organizations.joinCodes.create(orgId, { maxUses: null, expiresAt: null });
    expect(unlimited.joinCode).toMatchObject({ maxUses: null, expiresAt: null, status: 'active' });
    expect((await t.backend.organizations.joinCodes.create(orgId)).joinCode.maxUses).toBeNull();
    const at = new Date(t.clock.now().getTime() + DAY).toISOString();
    expect((await t.backend.organizations.joinCodes.create(orgId, { expiresAt: at })).joinCode.expiresAt).toBe(at);
    const past = new Date(t.clock.now().getTime() - 1000).toISOString();
    const error = await failure(t.backend.organizations.joinCodes.create(orgId, { expiresAt: past }));
    expect([error.status, error.code]).toEqual([400, 'invalid_request']);
    for (const body of [{ maxUses: 0 }, { maxUses: 1.5 }, { maxUses: -1 }, { role: 'member', roleId: 'role_member' }, { uses: 5 }]) {
      const bad = await failure(t.backend.organizations.joinCodes.create(orgId, body as never));
      expect([bad.status, bad.code]).toEqual([400, 'invalid_request']);
    }
  });

  it('the role is any role of the organization, never owner (403 for everyone, the secret key too), and obeys no-escalation', async () => {
    const { owner, orgId, members } = await team(['admin']);
    const admin = members[0]!;
    const custom = await t.backend.organizations.roles.create(orgId, { name: 'Auditor', permissions: ['audit:view'] });
    const byKey = await admin.client.organizations.joinCodes.create({ organizationId: orgId, role: 'auditor' });
    expect(byKey.joinCode).toMatchObject({ role: 'auditor', roleId: custom.id });
    expect((await admin.client.organizations.joinCodes.create({ organizationId: orgId, roleId: 'role_admin' })).joinCode.role).toBe(
      'admin',
    );
    for (const make of [
      () => owner.client.organizations.joinCodes.create({ organizationId: orgId, role: 'owner' }),
      () => owner.client.organizations.joinCodes.create({ organizationId: orgId, roleId: 'role_owner' }),
      () => t.backend.organizations.joinCodes.create(orgId, { role: 'owner' }),
    ]) {
      const error = await failure(make());
      expect([error.status, error.code]).toEqual([403, 'forbidden']);
    }
    // An admin lacks org:delete, so a role holding it is above them.
    const deleter = await t.backend.organizations.roles.create(orgId, { name: 'Deleter', permissions: ['org:delete'] });
    const escalation = await failure(admin.client.organizations.joinCodes.create({ organizationId: orgId, roleId: deleter.id }));
    expect([escalation.status, escalation.code]).toEqual([403, 'forbidden']);
    // Unknown role key → 400; another organization's role id → 404.
    expect((await failure(owner.client.organizations.joinCodes.create({ organizationId: orgId, role: 'nope' }))).status).toBe(400);
    const other = await team();
    const foreign = await t.backend.organizations.roles.create(other.orgId, { name: 'Elsewhere', permissions: [] });
    expect((await failure(owner.client.organizations.joinCodes.create({ organizationId: orgId, roleId: foreign.id }))).code).toBe(
      'not_found',
    );
    // Refusals are audited (repeats by one actor are folded into one event).
    expect((await events(orgId)).some((e) => e.action === 'authz.denied' && e.actor.id === admin.user.id)).toBe(true);
  });

  it('create, list and revoke need members:manage (403); non-members and other organizations get 404', async () => {
    const { owner, orgId, members } = await team(['member']);
    const member = members[0]!;
    const { joinCode } = await owner.client.organizations.joinCodes.create({ organizationId: orgId });
    const c = member.client.organizations.joinCodes;
    for (const call of [
      () => c.create({ organizationId: orgId }),
      () => c.list({ organizationId: orgId }),
      () => c.revoke({ organizationId: orgId, id: joinCode.id }),
    ]) {
      const error = await failure(call());
      expect([error.status, error.code]).toEqual([403, 'forbidden']);
    }
    const stranger = await signedInClient(t);
    const error = await failure(stranger.client.organizations.joinCodes.list({ organizationId: orgId }));
    expect([error.status, error.code]).toEqual([404, 'not_found']);
    // A code of org A is not reachable through org B, where its owner is also an owner.
    const b = await t.backend.organizations.create({ name: 'B', createdBy: owner.user.id });
    const cross = await failure(owner.client.organizations.joinCodes.revoke({ organizationId: b.id, id: joinCode.id }));
    expect([cross.status, cross.code]).toEqual([404, 'not_found']);
    expect((await failure(t.backend.organizations.joinCodes.revoke(b.id, joinCode.id))).status).toBe(404);
    expect((await t.backend.organizations.joinCodes.list(orgId)).data[0]!.status).toBe('active');
  });

  it('revoke is idempotent: 200 with the final state every time, one audit event; an unknown id → 404', async () => {
    const { owner, orgId } = await team();
    const { joinCode } = await owner.client.organizations.joinCodes.create({ organizationId: orgId });
    expect(await owner.client.organizations.joinCodes.revoke({ organizationId: orgId, id: joinCode.id })).toEqual({ ok: true });
    expect(await owner.client.organizations.joinCodes.revoke({ organizationId: orgId, id: joinCode.id })).toEqual({ ok: true });
    const first = await t.backend.organizations.joinCodes.revoke(orgId, joinCode.id);
    const second = await t.backend.organizations.joinCodes.revoke(orgId, joinCode.id);
    expect(first).toEqual(second);
    expect(first).toMatchObject({ id: joinCode.id, status: 'revoked', revokedAt: expect.any(String) });
    const actions = (await events(orgId)).map((e) => e.action);
    expect(actions.filter((a) => a === 'join_code.revoked')).toHaveLength(1);
    expect(actions).toContain('join_code.created');
    for (const id of ['jc_01jd5x3k8m2q4r6t8v0w2y4a6c', 'nonsense']) {
      expect((await failure(t.backend.organizations.joinCodes.revoke(orgId, id))).status).toBe(404);
      expect((await failure(owner.client.organizations.joinCodes.revoke({ organizationId: orgId, id }))).code).toBe('not_found');
    }
  });

  it('list pages newest first with limit and cursor, on both APIs', async () => {
    const { owner, orgId } = await team();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await t.backend.organizations.joinCodes.create(orgId)).joinCode.id);
    const first = await owner.client.organizations.joinCodes.list({ organizationId: orgId, limit: 2 });
    expect(first.joinCodes.map((j) => j.id)).toEqual([ids[2], ids[1]]);
    const rest = await owner.client.organizations.joinCodes.list({ organizationId: orgId, limit: 2, cursor: first.nextCursor! });
    expect(rest).toMatchObject({ hasMore: false, nextCursor: null });
    expect(rest.joinCodes.map((j) => j.id)).toEqual([ids[0]]);
    const page = await t.backend.organizations.joinCodes.list(orgId, { limit: 1 });
    expect([page.data[0]!.id, page.hasMore]).toEqual([ids[2], true]);
  });
});

describe('join codes: join', () => {
  it('makes the caller a member with the code role, counts a use, and audits the joining user as actor', async () => {
    const { orgId } = await team();
    const custom = await t.backend.organizations.roles.create(orgId, { name: 'Viewer', permissions: ['org:view'] });
    const { code, joinCode } = await t.backend.organizations.joinCodes.create(orgId, { roleId: custom.id, maxUses: 2 });
    const joiner = await signedInClient(t);
    const joined = await joiner.client.organizations.joinCodes.join({ code });
    expect(joined).toEqual({ organizationId: orgId, role: 'viewer', roleId: custom.id, alreadyMember: false });
    const { organizations } = await joiner.client.organizations.list();
    expect(organizations.map((o) => [o.organization.id, o.role])).toEqual([[orgId, 'viewer']]);
    expect((await t.backend.organizations.joinCodes.list(orgId)).data[0]).toMatchObject({ id: joinCode.id, uses: 1, status: 'active' });
    const event = (await events(orgId)).find((e) => e.action === 'member.joined');
    expect(event).toMatchObject({
      actor: { type: 'user', id: joiner.user.id },
      target: { type: 'user', id: joiner.user.id },
      data: { joinCodeId: joinCode.id, role: 'viewer', roleId: custom.id },
    });
  });

  it('accepts the code in lower case, without dashes, with spaces, and with I/L/O typed for 1/1/0', async () => {
    const { orgId } = await team();
    const { code } = await t.backend.organizations.joinCodes.create(orgId);
    const variants = [
      code.toLowerCase(),
      code.replaceAll('-', ''),
      ` ${code.replaceAll('-', ' ')} `,
      code.replaceAll('1', 'l').replaceAll('0', 'O'),
    ];
    for (const variant of variants) {
      const joiner = await signedInClient(t);
      expect((await joiner.client.organizations.joinCodes.join({ code: variant })).alreadyMember).toBe(false);
    }
  });

  it('an existing member gets alreadyMember: true with their current role, and no use is counted', async () => {
    const { owner, orgId, members } = await team(['admin']);
    const { code, joinCode } = await t.backend.organizations.joinCodes.create(orgId, { maxUses: 2 });
    expect(await members[0]!.client.organizations.joinCodes.join({ code })).toEqual({
      organizationId: orgId,
      role: 'admin',
      roleId: 'role_admin',
      alreadyMember: true,
    });
    expect((await owner.client.organizations.joinCodes.join({ code })).role).toBe('owner');
    expect((await t.backend.organizations.joinCodes.list(orgId)).data[0]).toMatchObject({ id: joinCode.id, uses: 0 });
    // Joining twice: the second time is alreadyMember, and the only use is the first one.
    const joiner = await signedInClient(t);
    expect((await joiner.client.organizations.joinCodes.join({ code })).alreadyMember).toBe(false);
    expect((await joiner.client.organizations.joinCodes.join({ code })).alreadyMember).toBe(true);
    expect((await t.backend.organizations.joinCodes.list(orgId)).data[0]).toMatchObject({ uses: 1, status: 'active' });
  });

  it('revoked, expired, exhausted and unknown codes all answer 410 join_code_invalid, members included, and change nothing', async () => {
    const { orgId, members } = await team(['member']);
    const revoked = await t.backend.organizations.joinCodes.create(orgId);
    await t.backend.organizations.joinCodes.revoke(orgId, revoked.joinCode.id);
    const expiring = await t.backend.organizations.joinCodes.create(orgId, {
      expiresAt: new Date(t.clock.now().getTime() + 1000).toISOString(),
    });
    const once = await t.backend.organizations.joinCodes.create(orgId, { maxUses: 1 });
    await (await signedInClient(t)).client.organizations.joinCodes.join({ code: once.code });
    t.clock.advance(2000);
    const statuses = Object.fromEntries((await t.backend.organizations.joinCodes.list(orgId)).data.map((j) => [j.id, j.status]));
    expect([statuses[revoked.joinCode.id], statuses[expiring.joinCode.id], statuses[once.joinCode.id]]).toEqual([
      'revoked',
      'expired',
      'exhausted',
    ]);
    const unknown = revoked.code.replace(/^./, (ch) => (ch === 'A' ? 'B' : 'A'));
    const joiner = await signedInClient(t);
    const bodies: string[] = [];
    for (const code of [revoked.code, expiring.code, once.code, unknown, 'short', 'X'.repeat(100)]) {
      const error = await failure(joiner.client.organizations.joinCodes.join({ code }));
      expect([error.status, error.code]).toEqual([410, 'join_code_invalid']);
      bodies.push(error.message);
      // Validity comes first: a member learns nothing more either.
      expect((await failure(members[0]!.client.organizations.joinCodes.join({ code }))).code).toBe('join_code_invalid');
    }
    expect(new Set(bodies).size).toBe(1);
    expect((await joiner.client.organizations.list()).organizations).toEqual([]);
    const uses = (await t.backend.organizations.joinCodes.list(orgId)).data.map((j) => j.uses);
    expect(uses.sort()).toEqual([0, 0, 1]);
  });

  it('needs a signed-in user (401); an empty or oversized code is 400; extra fields are refused', async () => {
    const { orgId } = await team();
    const { code } = await t.backend.organizations.joinCodes.create(orgId);
    const anonymous = await failure(t.client().organizations.joinCodes.join({ code }));
    expect([anonymous.status, anonymous.code]).toEqual([401, 'unauthenticated']);
    const joiner = await signedInClient(t);
    for (const body of [{ code: '' }, { code: 'A'.repeat(101) }, { code, organizationId: orgId }, { code, role: 'admin' }]) {
      const res = await rawPost(t, 'organizations/join-codes/join', body, { authorization: `Bearer ${joiner.sessionToken}` });
      expect([res.status, res.body.errors?.[0]?.code]).toEqual([400, 'invalid_request']);
    }
    expect((await joiner.client.organizations.list()).organizations).toEqual([]);
  });

  it('a code of a deleted organization answers 410; deleting a custom role removes the codes granting it', async () => {
    const { owner, orgId } = await team();
    const { code } = await t.backend.organizations.joinCodes.create(orgId);
    await owner.client.organizations.delete({ organizationId: orgId });
    const joiner = await signedInClient(t);
    expect((await failure(joiner.client.organizations.joinCodes.join({ code }))).code).toBe('join_code_invalid');
    const other = await team();
    const role = await t.backend.organizations.roles.create(other.orgId, { name: 'Temp', permissions: [] });
    const temp = await t.backend.organizations.joinCodes.create(other.orgId, { roleId: role.id });
    await t.backend.organizations.roles.delete(other.orgId, role.id);
    expect((await t.backend.organizations.joinCodes.list(other.orgId)).data).toEqual([]);
    expect((await failure(joiner.client.organizations.joinCodes.join({ code: temp.code }))).code).toBe('join_code_invalid');
  });
});

describe('join codes: rate limits', () => {
  let limited: TestGatehouse;
  beforeAll(async () => {
    limited = await startTestGatehouse({ env: { RATE_LIMITS: 'joinUser=3/900,joinIp=5/900', TRUST_PROXY: '1' } });
  });
  afterAll(() => limited.close());

  it('limits join attempts per user and per IP with 429 and Retry-After, counting every attempt', async () => {
    const a = await signedInClient(limited);
    const auth = { authorization: `Bearer ${a.sessionToken}` };
    const attempt = (headers: Record<string, string>) =>
      rawPost(limited, 'organizations/join-codes/join', { code: 'AAAAA-BBBBB' }, headers);
    for (let i = 0; i < 3; i++) expect((await attempt({ ...auth, 'x-forwarded-for': `198.51.100.${i}` })).status).toBe(410);
    const perUser = await attempt({ ...auth, 'x-forwarded-for': '198.51.100.9' });
    expect([perUser.status, perUser.body.errors?.[0]?.code]).toEqual([429, 'rate_limited']);
    expect(Number(perUser.headers.get('retry-after'))).toBeGreaterThan(0);
    // Per IP: five attempts from one address by different users, then 429 for a fresh user.
    const ip = { 'x-forwarded-for': '203.0.113.50' };
    for (let i = 0; i < 5; i++) {
      const u = await signedInClient(limited);
      expect((await attempt({ authorization: `Bearer ${u.sessionToken}`, ...ip })).status).toBe(410);
    }
    const fresh = await signedInClient(limited);
    const perIp = await attempt({ authorization: `Bearer ${fresh.sessionToken}`, ...ip });
    expect([perIp.status, perIp.body.errors?.[0]?.code]).toEqual([429, 'rate_limited']);
  });
});
