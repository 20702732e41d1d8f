import { type Client, createSessionVerifier } from '@gatehouse/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditActor, DENIAL_WINDOW_MS, recordDenial } from '../src/features/audit/record.js';
import { failure, type SignedInClient, signedInClient } from './auth-helpers.js';
import { startTestGatehouse, type TestGatehouse } from './harness.js';

let t: TestGatehouse;
beforeAll(async () => {
  t = await startTestGatehouse();
});
afterAll(() => t.close());

/** An organization created by a signed-in owner, plus signed-in members with the given roles. */
async function team(roles: string[] = []) {
  const owner = await signedInClient(t);
  const { organization } = await owner.client.organizations.create({ name: 'Team' });
  const members: SignedInClient[] = [];
  for (const role of roles) {
    const m = await signedInClient(t);
    await t.backend.organizations.members.add(organization.id, { userId: m.user.id, role });
    members.push(m);
  }
  return { owner, orgId: organization.id, members };
}

async function actions(orgId: string) {
  const log = await t.backend.organizations.auditLog.list(orgId, { limit: 100 });
  return log.data.map((e) => e.action);
}

describe('organizations (frontend)', () => {
  it('create makes the caller owner; list and me/organizations/list show the role', async () => {
    const { owner, orgId } = await team();
    const { organizations } = await owner.client.organizations.list();
    expect(organizations).toHaveLength(1);
    expect(organizations[0]).toMatchObject({
      organization: { id: orgId, name: 'Team', membersCount: 1 },
      role: 'owner',
      roleId: 'role_owner',
    });
    expect(organizations[0]!.permissions).toContain('org:delete');
    expect(JSON.stringify(organizations)).not.toContain('privateMetadata');
    expect(await owner.client.me.organizations.list()).toEqual({ organizations, hasMore: false, nextCursor: null });
    const { organization } = await owner.client.organizations.get({ organizationId: orgId });
    expect(organization.slug).toMatch(/^team/);
  });

  it('organizations/list and me/organizations/list page by limit (default 20, at most 100) and cursor', async () => {
    const owner = await signedInClient(t);
    const ids: string[] = [];
    for (let i = 0; i < 22; i++) ids.push((await t.backend.organizations.create({ name: `Many ${i}`, createdBy: owner.user.id })).id);
    const c = owner.client;
    const first = await c.organizations.list();
    expect([first.organizations.length, first.hasMore]).toEqual([20, true]);
    const rest = await c.organizations.list({ cursor: first.nextCursor! });
    expect(rest).toMatchObject({ hasMore: false, nextCursor: null });
    // In the order the user joined them.
    expect([...first.organizations, ...rest.organizations].map((o) => o.organization.id)).toEqual(ids);
    const mine = await c.me.organizations.list({ limit: 5 });
    const next = await c.me.organizations.list({ limit: 5, cursor: mine.nextCursor! });
    expect([...mine.organizations, ...next.organizations].map((o) => o.organization.id)).toEqual(ids.slice(0, 10));
    expect((await failure(c.organizations.list({ limit: 101 }))).code).toBe('invalid_request');
    expect((await failure(c.me.organizations.list({ cursor: '%%' }))).code).toBe('invalid_request');
  });

  it('update renames and delete removes memberships, roles and keeps the audit log', async () => {
    const { owner, orgId } = await team(['member']);
    await owner.client.organizations.roles.create({ organizationId: orgId, name: 'Billing', permissions: ['org:view'] });
    expect(await owner.client.organizations.update({ organizationId: orgId, name: 'Renamed' })).toEqual({ ok: true });
    expect((await owner.client.organizations.get({ organizationId: orgId })).organization.name).toBe('Renamed');
    expect(await owner.client.organizations.delete({ organizationId: orgId })).toEqual({ ok: true });
    expect((await failure(owner.client.organizations.get({ organizationId: orgId }))).status).toBe(404);
    expect((await owner.client.organizations.list()).organizations).toEqual([]);
    expect(await actions(orgId)).toEqual(expect.arrayContaining(['organization.deleted', 'organization.updated', 'role.created']));
    const rows = await t.gatehouse.deps.db.selectFrom('roles').select('id').where('organization_id', '=', orgId).execute();
    expect(rows).toEqual([]);
  });

  it('the role matrix expands owner and admin against the live catalog, with custom roles by organization', async () => {
    const { owner, orgId } = await team();
    const key = `invoices${Date.now()}:approve`;
    await t.backend.permissions.create({ key, description: 'Approve invoices' });
    await owner.client.organizations.roles.create({ organizationId: orgId, name: 'Approver', permissions: [key, 'org:view'] });
    const global = await owner.client.organizations.roles();
    expect(global.roles.map((r) => r.key)).toEqual(['owner', 'admin', 'member']);
    const byKey = Object.fromEntries(global.roles.map((r) => [r.key, r]));
    expect(byKey.owner!.permissions).toContain(key);
    expect(byKey.admin!.permissions).toContain(key);
    expect(byKey.admin!.permissions).not.toContain('org:delete');
    expect(byKey.member!.permissions).toEqual(['members:view', 'org:view', 'workspaces:view']);
    expect(global.permissions).toContainEqual({ key, description: 'Approve invoices', builtIn: false });
    expect(global.permissions).toContainEqual({ key: 'org:view', description: 'See the organization', builtIn: true });
    const scoped = await owner.client.organizations.roles({ organizationId: orgId });
    expect(scoped.roles.map((r) => r.key)).toEqual(['owner', 'admin', 'member', 'approver']);
    expect(scoped.roles[3]).toMatchObject({ isSystemRole: false, organizationId: orgId, permissions: [key, 'org:view'].sort() });
  });

  it('members list pages with a keyset cursor', async () => {
    const { owner, orgId } = await team();
    for (let i = 0; i < 4; i++) {
      const u = await t.backend.users.create({ email: t.email('page') });
      await t.backend.organizations.members.add(orgId, { userId: u.id });
    }
    const first = await owner.client.organizations.members.list({ organizationId: orgId, limit: 2 });
    expect(first.members).toHaveLength(2);
    expect(first.hasMore).toBe(true);
    expect(first.members[0]).toMatchObject({ userId: owner.user.id, role: 'owner', user: { email: owner.user.email } });
    const second = await owner.client.organizations.members.list({ organizationId: orgId, limit: 2, cursor: first.nextCursor! });
    const third = await owner.client.organizations.members.list({ organizationId: orgId, limit: 2, cursor: second.nextCursor! });
    expect(third).toMatchObject({ hasMore: false, nextCursor: null });
    const ids = [...first.members, ...second.members, ...third.members].map((m) => m.id);
    expect(new Set(ids).size).toBe(5);
  });
});

describe('no escalation', () => {
  it('an admin cannot make an owner, create a role with org:delete, or remove an owner', async () => {
    const { owner, orgId, members } = await team(['admin', 'member']);
    const [admin, member] = members as [SignedInClient, SignedInClient];
    const c = admin.client.organizations;
    expect((await failure(c.members.setRole({ organizationId: orgId, userId: admin.user.id, role: 'owner' }))).code).toBe('forbidden');
    expect((await failure(c.members.setRole({ organizationId: orgId, userId: member.user.id, role: 'owner' }))).code).toBe('forbidden');
    expect((await failure(c.roles.create({ organizationId: orgId, name: 'Deleter', permissions: ['org:delete'] }))).code).toBe('forbidden');
    expect((await failure(c.members.remove({ organizationId: orgId, userId: owner.user.id }))).code).toBe('forbidden');
    expect((await failure(c.members.setRole({ organizationId: orgId, userId: owner.user.id, role: 'member' }))).code).toBe('forbidden');
    const roles = await owner.client.organizations.roles.create({ organizationId: orgId, name: 'Deleter', permissions: ['org:delete'] });
    expect((await failure(c.roles.update({ organizationId: orgId, roleId: roles.role.id, name: 'Mine' }))).code).toBe('forbidden');
    expect((await failure(c.roles.delete({ organizationId: orgId, roleId: roles.role.id }))).code).toBe('forbidden');
    expect((await failure(c.members.setRole({ organizationId: orgId, userId: member.user.id, roleId: roles.role.id }))).code).toBe(
      'forbidden',
    );
    // Nothing changed, and every refusal is in the audit log.
    const list = await owner.client.organizations.members.list({ organizationId: orgId });
    expect(list.members.map((m) => m.role).sort()).toEqual(['admin', 'member', 'owner']);
    // One event per refused operation: the four refused set-roles within the minute are one.
    const denied = (await t.backend.organizations.auditLog.list(orgId, { limit: 100 })).data.filter((e) => e.action === 'authz.denied');
    expect(denied.map((e) => e.data['operation']).sort()).toEqual(
      ['members/remove', 'members/set-role', 'roles/create', 'roles/delete', 'roles/update'].map((op) => `/v1/organizations/${op}`),
    );
    expect(denied.every((e) => e.actor.type === 'user' && e.actor.id === admin.user.id)).toBe(true);
    expect(denied.map((e) => e.data['reason'])).toContain('Only an owner can change or remove an owner.');
  });

  it('a member cannot create roles or promote themself; a custom role cannot grant beyond itself', async () => {
    const { owner, orgId, members } = await team(['member']);
    const [member] = members as [SignedInClient];
    const c = member.client.organizations;
    expect((await failure(c.roles.create({ organizationId: orgId, name: 'Mine', permissions: ['org:view'] }))).code).toBe('forbidden');
    expect((await failure(c.members.setRole({ organizationId: orgId, userId: member.user.id, role: 'admin' }))).code).toBe('forbidden');
    const denied = (await t.backend.organizations.auditLog.list(orgId)).data.filter((e) => e.action === 'authz.denied');
    expect(denied.map((e) => e.data['operation']).sort()).toEqual(['/v1/organizations/members/set-role', '/v1/organizations/roles/create']);
    const { role } = await owner.client.organizations.roles.create({
      organizationId: orgId,
      name: 'Manager',
      permissions: ['org:view', 'members:view', 'members:manage', 'roles:manage'],
    });
    await owner.client.organizations.members.setRole({ organizationId: orgId, userId: member.user.id, roleId: role.id });
    expect((await failure(c.members.setRole({ organizationId: orgId, userId: member.user.id, role: 'admin' }))).code).toBe('forbidden');
    expect((await failure(c.roles.update({ organizationId: orgId, roleId: role.id, permissions: ['org:view', 'audit:view'] }))).code).toBe(
      'forbidden',
    );
    expect(await c.roles.create({ organizationId: orgId, name: 'Lesser', permissions: ['org:view'] })).toMatchObject({
      role: { key: 'lesser' },
    });
  });
});

describe('roles', () => {
  it('rejects invalid keys, duplicates, system keys, unknown permissions; protects system roles and roles in use', async () => {
    const { owner, orgId, members } = await team(['member']);
    const c = owner.client.organizations.roles;
    const create = (input: { name: string; key?: string; permissions: string[] }) => c.create({ organizationId: orgId, ...input });
    expect((await failure(create({ name: 'Bad', key: 'Bad Key!', permissions: [] }))).code).toBe('invalid_request');
    expect((await failure(create({ name: 'x'.repeat(101), permissions: [] }))).code).toBe('invalid_request');
    expect((await failure(create({ name: 'Typo', permissions: ['org:veiw'] }))).code).toBe('invalid_request');
    expect((await failure(create({ name: 'Shape', permissions: ['not a permission'] }))).code).toBe('invalid_request');
    expect((await failure(create({ name: 'Owner', permissions: [] }))).code).toBe('conflict');
    expect((await failure(create({ name: 'Sneaky', key: 'admin', permissions: [] }))).code).toBe('conflict');
    const { role } = await create({ name: 'Support Agent', permissions: ['org:view', 'members:view'] });
    expect(role).toMatchObject({ key: 'support_agent', isSystemRole: false, permissions: ['members:view', 'org:view'] });
    expect((await failure(create({ name: 'Support Agent', key: 'other', permissions: [] }))).status).toBe(409);
    expect((await failure(create({ name: 'Other', key: 'support_agent', permissions: [] }))).status).toBe(409);
    expect((await failure(c.update({ organizationId: orgId, roleId: 'role_admin', name: 'Boss' }))).code).toBe('conflict');
    expect((await failure(c.delete({ organizationId: orgId, roleId: 'role_member' }))).code).toBe('conflict');
    await owner.client.organizations.members.setRole({ organizationId: orgId, userId: members[0]!.user.id, roleId: role.id });
    expect((await failure(c.delete({ organizationId: orgId, roleId: role.id }))).code).toBe('conflict');
    await owner.client.organizations.members.setRole({ organizationId: orgId, userId: members[0]!.user.id, role: 'member' });
    expect(await c.update({ organizationId: orgId, roleId: role.id, permissions: ['org:view'] })).toMatchObject({
      role: { permissions: ['org:view'] },
    });
    expect(await c.delete({ organizationId: orgId, roleId: role.id })).toEqual({ ok: true });
    expect((await failure(c.delete({ organizationId: orgId, roleId: role.id }))).code).toBe('not_found');
    expect(await actions(orgId)).toEqual(expect.arrayContaining(['role.created', 'role.updated', 'role.deleted', 'member.role_changed']));
  });
});

describe('last owner (frontend)', () => {
  it('refuses leave, self-demotion and removal of the only owner, allows them with two owners', async () => {
    const { owner, orgId, members } = await team(['admin']);
    const c = owner.client.organizations;
    expect((await failure(c.leave({ organizationId: orgId }))).code).toBe('last_owner');
    expect((await failure(c.members.setRole({ organizationId: orgId, userId: owner.user.id, role: 'admin' }))).code).toBe('last_owner');
    expect((await failure(c.members.remove({ organizationId: orgId, userId: owner.user.id }))).code).toBe('last_owner');
    await c.members.setRole({ organizationId: orgId, userId: members[0]!.user.id, role: 'owner' });
    expect(await c.leave({ organizationId: orgId })).toEqual({ ok: true });
    expect((await failure(c.get({ organizationId: orgId }))).code).toBe('not_found');
    const log = await actions(orgId);
    expect(log).toEqual(expect.arrayContaining(['member.left', 'member.role_changed']));
  });

  it('remove is idempotent', async () => {
    const { owner, orgId, members } = await team(['member']);
    const input = { organizationId: orgId, userId: members[0]!.user.id };
    expect(await owner.client.organizations.members.remove(input)).toEqual({ ok: true });
    expect(await owner.client.organizations.members.remove(input)).toEqual({ ok: true });
    expect((await actions(orgId)).filter((a) => a === 'member.removed')).toHaveLength(1);
  });
});

describe('cross-organization access', () => {
  it('answers 404 for another organization, its members and its roles, exactly like a missing one', async () => {
    const a = await team();
    const b = await team(['member']);
    const bMember = b.members[0]!;
    const { role: bRole } = await b.owner.client.organizations.roles.create({
      organizationId: b.orgId,
      name: 'B role',
      permissions: ['org:view'],
    });
    const c = a.owner.client.organizations;
    const missing = 'org_00000000000000000000000000';
    const calls: [string, () => Promise<unknown>][] = [
      ['get', () => c.get({ organizationId: b.orgId })],
      ['update', () => c.update({ organizationId: b.orgId, name: 'Mine' })],
      ['delete', () => c.delete({ organizationId: b.orgId })],
      ['leave', () => c.leave({ organizationId: b.orgId })],
      ['roles', () => c.roles({ organizationId: b.orgId })],
      ['roles/update', () => c.roles.update({ organizationId: b.orgId, roleId: bRole.id, name: 'x' })],
      ['roles/update via A', () => c.roles.update({ organizationId: a.orgId, roleId: bRole.id, name: 'x' })],
      ['roles/delete via A', () => c.roles.delete({ organizationId: a.orgId, roleId: bRole.id })],
      ['members/list', () => c.members.list({ organizationId: b.orgId })],
      ['members/set-role via A', () => c.members.setRole({ organizationId: a.orgId, userId: bMember.user.id, role: 'admin' })],
      ['members/set-role', () => c.members.setRole({ organizationId: b.orgId, userId: bMember.user.id, role: 'admin' })],
      ['members/remove', () => c.members.remove({ organizationId: b.orgId, userId: bMember.user.id })],
      ['audit-log', () => c.auditLog.list({ organizationId: b.orgId })],
    ];
    const unknown = await failure(c.get({ organizationId: missing }));
    for (const [name, call] of calls) {
      const error = await failure(call());
      expect([name, error.status, error.code]).toEqual([name, 404, 'not_found']);
    }
    expect(unknown.message).toBe((await failure(c.get({ organizationId: b.orgId }))).message);
    // Another organization's role id answers exactly like a role id that never existed.
    const setRole = (roleId: string) => failure(c.members.setRole({ organizationId: a.orgId, userId: a.owner.user.id, roleId }));
    const foreign = await setRole(bRole.id);
    const never = await setRole('role_00000000000000000000000000');
    expect([foreign.status, foreign.code, foreign.message]).toEqual([404, 'not_found', never.message]);
    expect(never.status).toBe(404);
    // Nothing in B changed.
    const bMembers = await t.backend.organizations.members.list(b.orgId);
    expect(bMembers.data.map((m) => m.role).sort()).toEqual(['member', 'owner']);
    expect((await t.backend.organizations.get(b.orgId)).name).toBe('Team');
  });

  it('smuggled fields are rejected (400)', async () => {
    const { owner, orgId } = await team();
    const c = owner.client;
    const smuggle = (op: string, body: Record<string, unknown>) => c.call({ name: op } as never, body as never);
    expect((await failure(smuggle('organizations/create', { name: 'X', createdBy: owner.user.id }))).code).toBe('invalid_request');
    expect((await failure(smuggle('organizations/update', { organizationId: orgId, name: 'X', slug: 'x' }))).code).toBe('invalid_request');
    expect(
      (await failure(smuggle('organizations/members/set-role', { organizationId: orgId, userId: owner.user.id, role: ['owner'] }))).code,
    ).toBe('invalid_request');
  });
});

describe('audit log (frontend)', () => {
  it('lists newest first, exactly, and pages with a cursor', async () => {
    const { owner, orgId } = await team();
    const c = owner.client.organizations;
    for (const name of ['One', 'Two', 'Three']) await c.update({ organizationId: orgId, name });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await c.auditLog.list({ organizationId: orgId, limit: 2, ...(cursor ? { cursor } : {}) });
      expect(page.events.length).toBeLessThanOrEqual(2);
      seen.push(...page.events.map((e) => `${e.action}${e.data['name'] ? ` ${e.data['name']}` : ''}`));
      cursor = page.nextCursor ?? undefined;
      expect(page.hasMore).toBe(cursor !== undefined);
    } while (cursor);
    // organization.created and member.added share one transaction and one millisecond.
    expect(seen).toEqual([
      'organization.updated Three',
      'organization.updated Two',
      'organization.updated One',
      'member.added',
      'organization.created Team',
    ]);
  });

  it('records a repeated refusal once a minute per actor, organization and operation', async () => {
    const { owner, orgId, members } = await team(['member', 'member']);
    const [m1, m2] = members as [SignedInClient, SignedInClient];
    const rename = (m: SignedInClient) => failure(m.client.organizations.update({ organizationId: orgId, name: 'Mine' }));
    // A burst first, then repeats: concurrent refusals skip while one of them records, so one event, never more.
    const burst = await Promise.all(Array.from({ length: 8 }, () => rename(m1)));
    expect(burst.map((e) => e.code)).toEqual(Array(8).fill('forbidden'));
    for (let i = 0; i < 3; i++) expect((await rename(m1)).code).toBe('forbidden');
    await failure(m1.client.organizations.roles.create({ organizationId: orgId, name: 'X', permissions: [] }));
    await rename(m2);
    const denials = async () => {
      const { events } = await owner.client.organizations.auditLog.list({ organizationId: orgId, limit: 100 });
      return events
        .filter((e) => e.action === 'authz.denied')
        .map((e) => `${e.actor.id === m1.user.id ? 'm1' : 'm2'} ${e.data['operation']}`);
    };
    expect((await denials()).sort()).toEqual([
      'm1 /v1/organizations/roles/create',
      'm1 /v1/organizations/update',
      'm2 /v1/organizations/update',
    ]);
    t.clock.advance(DENIAL_WINDOW_MS);
    await rename(m1);
    expect((await denials()).filter((d) => d === 'm1 /v1/organizations/update')).toHaveLength(2);

    // Recording is best effort: a database error (here a check constraint) is logged, not thrown.
    const warnings: unknown[] = [];
    const broken = { type: 'nobody' as AuditActor['type'], id: m1.user.id };
    const denial = { organizationId: orgId, actor: broken, ip: null, at: t.clock.now(), reason: 'x', operation: 'test' };
    await expect(
      recordDenial(t.gatehouse.deps.db, { ...denial, log: { warn: (o: unknown) => warnings.push(o) } }),
    ).resolves.toBeUndefined();
    expect(warnings).toHaveLength(1);
  });
});

describe('active organization and session JWTs', () => {
  const ISSUER = 'http://localhost:8787';

  /** A fresh JWT of the client's session, minted by `session/token` and verified against the JWKS. */
  async function jwtClaims(client: Client) {
    const { token } = await client.session.token();
    const verifier = createSessionVerifier({ jwksUrl: `${t.url}/.well-known/jwks.json`, issuer: ISSUER, now: () => t.clock.now() });
    return verifier.verify(token);
  }

  /** A second session of the same user. */
  async function secondSession(m: SignedInClient): Promise<Client> {
    const client = t.client({ tokenTransport: 'header' });
    await client.auth.signIn({ email: m.user.email, password: m.password });
    return client;
  }

  /** The envelope session of a fresh request. */
  async function envelopeSession(client: Client) {
    await client.me.get();
    return client.lastSession;
  }

  it('set-active needs membership; a role change shows in the next JWT at once', async () => {
    const { owner, orgId, members } = await team(['admin']);
    const admin = members[0]!;
    const other = await team();
    expect((await failure(admin.client.session.setActive({ organizationId: other.orgId }))).code).toBe('not_found');
    const set = await admin.client.session.setActive({ organizationId: orgId });
    expect(set.session).toMatchObject({ userId: admin.user.id, activeOrganizationId: orgId, activeWorkspaceId: null });
    expect(admin.client.lastSession?.activeOrganizationId).toBe(orgId);
    expect(await jwtClaims(admin.client)).toMatchObject({ sub: admin.user.id, org_id: orgId, org_role: 'admin' });

    await owner.client.organizations.members.setRole({ organizationId: orgId, userId: admin.user.id, role: 'member' });
    expect(await jwtClaims(admin.client)).toMatchObject({
      org_id: orgId,
      org_role: 'member',
      org_permissions: ['members:view', 'org:view', 'workspaces:view'],
    });
    const { role } = await owner.client.organizations.roles.create({
      organizationId: orgId,
      name: 'Auditor',
      permissions: ['audit:view', 'org:view'],
    });
    await owner.client.organizations.members.setRole({ organizationId: orgId, userId: admin.user.id, roleId: role.id });
    expect(await jwtClaims(admin.client)).toMatchObject({ org_role: 'auditor', org_permissions: ['audit:view', 'org:view'] });

    expect((await admin.client.session.setActive({ organizationId: null })).session.activeOrganizationId).toBeNull();
    expect(await jwtClaims(admin.client)).not.toHaveProperty('org_id');
  });

  it('removal clears the organization from every session of the removed member, and only theirs', async () => {
    const { owner, orgId, members } = await team(['admin']);
    const admin = members[0]!;
    const second = await secondSession(admin);
    for (const client of [admin.client, second, owner.client]) await client.session.setActive({ organizationId: orgId });
    await owner.client.organizations.members.remove({ organizationId: orgId, userId: admin.user.id });
    for (const client of [admin.client, second]) {
      expect((await envelopeSession(client))?.activeOrganizationId).toBeNull();
      const claims = await jwtClaims(client);
      expect([claims.org_id, claims.org_role, claims.org_permissions]).toEqual([undefined, undefined, undefined]);
      // Nothing stale left to keep: set-active without an organization answers, with none.
      expect((await client.session.setActive({})).session).toMatchObject({ activeOrganizationId: null, activeWorkspaceId: null });
    }
    expect((await envelopeSession(owner.client))?.activeOrganizationId).toBe(orgId);
    expect((await jwtClaims(owner.client)).org_role).toBe('owner');
  });

  it('leaving clears the organization from the sessions of the one who left', async () => {
    const { orgId, members } = await team(['member']);
    const member = members[0]!;
    await member.client.session.setActive({ organizationId: orgId });
    await member.client.organizations.leave({ organizationId: orgId });
    expect((await envelopeSession(member.client))?.activeOrganizationId).toBeNull();
    expect(await jwtClaims(member.client)).not.toHaveProperty('org_id');
    expect((await member.client.session.setActive({})).session.activeOrganizationId).toBeNull();
  });

  it('deleting the organization clears it from every session that had it active', async () => {
    const { owner, orgId, members } = await team(['admin']);
    for (const client of [owner.client, members[0]!.client]) await client.session.setActive({ organizationId: orgId });
    await owner.client.organizations.delete({ organizationId: orgId });
    for (const client of [owner.client, members[0]!.client]) {
      expect((await envelopeSession(client))?.activeOrganizationId).toBeNull();
      expect(await jwtClaims(client)).not.toHaveProperty('org_id');
      expect((await client.session.setActive({})).session.activeOrganizationId).toBeNull();
    }
  });
});
