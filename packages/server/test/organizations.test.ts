import { createOrganization } from '@gatehouse/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure } from './auth-helpers.js';
import { startTestGatehouse, type TestGatehouse } from './harness.js';

let t: TestGatehouse;
beforeAll(async () => {
  t = await startTestGatehouse();
});
afterAll(() => t.close());

const user = () => t.backend.users.create({ email: t.email() });

describe('organizations (backend)', () => {
  it('creates with an owner, generates unique slugs, counts members, audits', async () => {
    const owner = await user();
    const a = await t.backend.organizations.create({ name: 'Acme, Inc.', createdBy: owner.id, privateMetadata: { plan: 'pro' } });
    const b = await t.backend.createOrganization({ name: 'Acme Inc' });
    expect(a).toMatchObject({ name: 'Acme, Inc.', membersCount: 1, privateMetadata: { plan: 'pro' }, publicMetadata: {}, imageUrl: null });
    expect(a.id).toMatch(/^org_[0-9a-z]{26}$/);
    expect(a.slug).toMatch(/^acme-inc/);
    expect(b.slug).not.toBe(a.slug);
    expect(b.membersCount).toBe(0);
    const members = await t.backend.organizations.members.list(a.id);
    expect(members.data).toEqual([
      expect.objectContaining({
        userId: owner.id,
        role: 'owner',
        roleId: 'role_owner',
        user: expect.objectContaining({ email: owner.email }),
      }),
    ]);
    expect(members.data[0]!.permissions).toContain('org:delete');
    // Both events share the transaction's timestamp; ids still list them newest first, exactly.
    const audit = await t.backend.organizations.auditLog.list(a.id);
    expect(audit.data.map((e) => e.action)).toEqual(['member.added', 'organization.created']);
    expect(audit.data[0]).toMatchObject({ organizationId: a.id, actor: { type: 'admin', id: 'env' }, ip: '127.0.0.1' });
  });

  it('validates slugs, names, metadata and createdBy', async () => {
    const slug = `taken-${Date.now()}`;
    await t.backend.organizations.create({ name: 'One', slug });
    expect((await failure(t.backend.organizations.create({ name: 'Two', slug }))).code).toBe('conflict');
    expect((await failure(t.backend.organizations.create({ name: 'Bad', slug: 'Not A Slug!' }))).code).toBe('invalid_request');
    expect((await failure(t.backend.organizations.create({ name: 'x'.repeat(101) }))).code).toBe('invalid_request');
    expect((await failure(t.backend.organizations.create({ name: '' }))).code).toBe('invalid_request');
    const big = { blob: 'x'.repeat(9000) };
    expect((await failure(t.backend.organizations.create({ name: 'Big', publicMetadata: big }))).code).toBe('invalid_request');
    expect((await failure(t.backend.organizations.create({ name: 'Nobody', createdBy: 'usr_00000000000000000000000000' }))).code).toBe(
      'not_found',
    );
    const smuggled = t.backend.call(createOrganization, { body: { name: 'X', membersCount: 9 } as never });
    expect((await failure(smuggled)).code).toBe('invalid_request');
    const named = await t.backend.organizations.create({ name: '日本' });
    expect(named.slug).toMatch(/^org-[0-9a-z]+$/);
  });

  it('searches, pages, updates and deletes', async () => {
    const tag = `srch${Date.now()}`;
    const created = [];
    for (let i = 0; i < 3; i++) created.push(await t.backend.organizations.create({ name: `${tag} ${i}` }));
    const first = await t.backend.organizations.list({ search: tag, limit: 2 });
    expect(first.data.map((o) => o.name)).toEqual([`${tag} 2`, `${tag} 1`]);
    const all = [];
    for await (const org of t.backend.organizations.listAll({ search: tag, limit: 2 })) all.push(org.id);
    expect(all).toEqual(created.map((o) => o.id).reverse());
    // A blank search is a mistake, not "every organization".
    expect(await failure(t.backend.organizations.list({ search: '  ' }))).toMatchObject({ code: 'invalid_request' });
    const org = created[0]!;
    const updated = await t.backend.updateOrganization(org.id, {
      name: 'New',
      slug: `${tag}-new`,
      publicMetadata: { a: 1 },
      imageUrl: 'https://x.test/a.png',
    });
    expect(updated).toMatchObject({ name: 'New', slug: `${tag}-new`, publicMetadata: { a: 1 }, imageUrl: 'https://x.test/a.png' });
    expect((await failure(t.backend.organizations.update(created[1]!.id, { slug: `${tag}-new` }))).code).toBe('conflict');
    expect(await t.backend.deleteOrganization(org.id)).toEqual({ id: org.id, deleted: true });
    expect((await failure(t.backend.getOrganization(org.id))).code).toBe('not_found');
    expect((await failure(t.backend.organizations.delete(org.id))).code).toBe('not_found');
    expect((await failure(t.backend.organizations.get('nonsense'))).code).toBe('not_found');
    // The audit log outlives the organization.
    const audit = await t.backend.organizations.auditLog.list(org.id);
    expect(audit.data.map((e) => e.action)).toEqual(
      expect.arrayContaining(['organization.deleted', 'organization.updated', 'organization.created']),
    );
  });
});

describe("Wacht's flat method names (seed 001)", () => {
  const aliases = [
    'listOrganizations',
    'getOrganization',
    'createOrganization',
    'updateOrganization',
    'deleteOrganization',
    'listOrganizationMembers',
    'addOrganizationMember',
    'updateOrganizationMember',
    'removeOrganizationMember',
    'listOrganizationRoles',
    'createOrganizationRole',
    'updateOrganizationRole',
    'deleteOrganizationRole',
  ] as const;

  it("work on client.organizations with the seed's argument order, and on the root", async () => {
    const o = t.backend.organizations;
    const [owner, u] = [await user(), await user()];
    const tag = `wacht${Date.now()}`;
    const org = await o.createOrganization({ name: `${tag} Org`, createdBy: owner.id });
    expect((await o.listOrganizations({ search: tag })).data.map((x) => x.id)).toEqual([org.id]);
    expect(await o.getOrganization(org.id)).toMatchObject({ id: org.id, membersCount: 1 });
    expect(await o.updateOrganization(org.id, { name: `${tag} Renamed` })).toMatchObject({ name: `${tag} Renamed` });
    const member = await o.addOrganizationMember(org.id, { userId: u.id });
    expect((await o.listOrganizationMembers(org.id)).data.map((m) => [m.userId, m.role])).toEqual([
      [owner.id, 'owner'],
      [u.id, 'member'],
    ]);
    expect(await o.updateOrganizationMember(org.id, member.id, { role: 'admin' })).toMatchObject({ id: member.id, role: 'admin' });
    const role = await o.createOrganizationRole(org.id, { name: 'Viewer', permissions: ['org:view'] });
    expect((await o.listOrganizationRoles(org.id)).data.map((r) => r.key)).toEqual(['owner', 'admin', 'member', 'viewer']);
    expect(await o.updateOrganizationRole(org.id, role.id, { name: 'Viewers' })).toMatchObject({ id: role.id, name: 'Viewers' });
    expect(await o.deleteOrganizationRole(org.id, role.id)).toEqual({ id: role.id, deleted: true });
    expect(await o.removeOrganizationMember(org.id, member.id)).toEqual({ id: member.id, deleted: true });
    expect(await o.deleteOrganization(org.id)).toEqual({ id: org.id, deleted: true });
    for (const name of aliases) expect([name, t.backend[name]]).toEqual([name, o[name]]);
  });
});

describe('members (backend)', () => {
  it('adds, changes and removes members by membership id; already_member; last owner', async () => {
    const [owner, u1] = [await user(), await user()];
    const org = await t.backend.organizations.create({ name: 'Members', createdBy: owner.id });
    const added = await t.backend.addOrganizationMember(org.id, { userId: u1.id });
    expect(added).toMatchObject({ organizationId: org.id, userId: u1.id, role: 'member', roleId: 'role_member' });
    expect((await failure(t.backend.organizations.members.add(org.id, { userId: u1.id, role: 'admin' }))).code).toBe('already_member');
    expect((await failure(t.backend.organizations.members.add(org.id, { userId: 'usr_00000000000000000000000000' }))).code).toBe(
      'not_found',
    );
    expect((await failure(t.backend.organizations.members.add(org.id, { userId: u1.id, role: 'nope' }))).code).toBe('invalid_request');
    expect((await failure(t.backend.organizations.members.add(org.id, { userId: u1.id, role: 'admin', roleId: 'role_admin' }))).code).toBe(
      'invalid_request',
    );
    const promoted = await t.backend.updateOrganizationMember(org.id, added.id, { roleId: 'role_admin' });
    expect(promoted).toMatchObject({ role: 'admin', roleId: 'role_admin' });
    const ownerMembership = (await t.backend.organizations.members.list(org.id)).data.find((m) => m.userId === owner.id)!;
    expect((await failure(t.backend.organizations.members.update(org.id, ownerMembership.id, { role: 'member' }))).code).toBe('last_owner');
    expect((await failure(t.backend.organizations.members.remove(org.id, ownerMembership.id))).code).toBe('last_owner');
    expect(await t.backend.removeOrganizationMember(org.id, added.id)).toEqual({ id: added.id, deleted: true });
    expect((await failure(t.backend.organizations.members.remove(org.id, added.id))).code).toBe('not_found');
    expect((await t.backend.organizations.get(org.id)).membersCount).toBe(1);
    const actions = (await t.backend.organizations.auditLog.list(org.id)).data.map((e) => e.action);
    expect(actions.slice(0, 3)).toEqual(['member.removed', 'member.role_changed', 'member.added']);
  });

  it('a backend organization may have no owner; the rule only forbids going from some owners to none', async () => {
    const u = await user();
    const org = await t.backend.organizations.create({ name: 'Ownerless' });
    const m = await t.backend.organizations.members.add(org.id, { userId: u.id, role: 'owner' });
    expect((await failure(t.backend.organizations.members.update(org.id, m.id, { role: 'admin' }))).code).toBe('last_owner');
  });

  it('answers 404 for a membership or role of another organization', async () => {
    const [x, y] = [await user(), await user()];
    const a = await t.backend.organizations.create({ name: 'A', createdBy: x.id });
    const b = await t.backend.organizations.create({ name: 'B', createdBy: y.id });
    const bMember = (await t.backend.organizations.members.list(b.id)).data[0]!;
    const bRole = await t.backend.organizations.roles.create(b.id, { name: 'B only', permissions: ['org:view'] });
    expect((await failure(t.backend.organizations.members.update(a.id, bMember.id, { role: 'member' }))).code).toBe('not_found');
    expect((await failure(t.backend.organizations.members.remove(a.id, bMember.id))).code).toBe('not_found');
    expect((await failure(t.backend.organizations.roles.update(a.id, bRole.id, { name: 'Mine' }))).code).toBe('not_found');
    expect((await failure(t.backend.organizations.roles.delete(a.id, bRole.id))).code).toBe('not_found');
    // B's role id in A answers exactly like a role id that never existed.
    const u = await user();
    const aOwner = (await t.backend.organizations.members.list(a.id)).data[0]!;
    const missing = await failure(t.backend.organizations.members.add(a.id, { userId: u.id, roleId: 'role_00000000000000000000000000' }));
    expect([missing.status, missing.code]).toEqual([404, 'not_found']);
    for (const call of [
      () => t.backend.organizations.members.add(a.id, { userId: u.id, roleId: bRole.id }),
      () => t.backend.organizations.members.update(a.id, aOwner.id, { roleId: bRole.id }),
    ]) {
      const error = await failure(call());
      expect([error.status, error.code, error.message]).toEqual([404, 'not_found', missing.message]);
    }
    expect((await t.backend.organizations.members.list(a.id)).data.map((m) => m.role)).toEqual(['owner']);
    expect((await t.backend.organizations.members.list(b.id)).data.map((m) => m.role)).toEqual(['owner']);
  });

  it("lists a user's memberships with organization and roleDetails", async () => {
    const u = await user();
    const org = await t.backend.organizations.create({ name: 'Listed', createdBy: u.id, privateMetadata: { p: 1 } });
    const page = await t.backend.users.memberships.listOrganizations(u.id);
    expect(page.data).toHaveLength(1);
    expect(page.data[0]).toMatchObject({
      organizationId: org.id,
      role: 'owner',
      organization: { id: org.id, privateMetadata: { p: 1 }, membersCount: 1 },
      roleDetails: { id: 'role_owner', key: 'owner', isSystemRole: true, organizationId: null },
    });
    expect((await failure(t.backend.users.memberships.listOrganizations('usr_00000000000000000000000000'))).code).toBe('not_found');
  });
});

describe('user deletion and the last owner', () => {
  it('refuses to delete the only owner, then allows it once another owner exists', async () => {
    const [x, y] = [await user(), await user()];
    const org = await t.backend.organizations.create({ name: 'Deletion', createdBy: x.id });
    const refused = await failure(t.backend.users.delete(x.id));
    expect(refused.code).toBe('last_owner');
    expect(refused.details).toEqual({ organizationIds: [org.id] });
    expect((await t.backend.users.get(x.id)).id).toBe(x.id);
    await t.backend.organizations.members.add(org.id, { userId: y.id, role: 'owner' });
    expect((await t.backend.organizations.get(org.id)).membersCount).toBe(2);
    expect(await t.backend.users.delete(x.id)).toEqual({ id: x.id, deleted: true });
    expect((await t.backend.organizations.get(org.id)).membersCount).toBe(1);
    const events = (await t.backend.organizations.auditLog.list(org.id)).data;
    expect(events[0]).toMatchObject({ action: 'member.removed', target: { type: 'user', id: x.id }, data: { reason: 'user_deleted' } });
  });
});

describe('roles and the permission catalog (backend)', () => {
  it('registers permissions, expands owner and admin, refuses unknown ones and deletes unused ones', async () => {
    const key = `reports${Date.now()}:export`;
    expect(await t.backend.permissions.create({ key, description: 'Export reports' })).toEqual({
      key,
      description: 'Export reports',
      builtIn: false,
    });
    expect((await failure(t.backend.permissions.create({ key }))).code).toBe('conflict');
    expect((await failure(t.backend.permissions.create({ key: 'org:view' }))).code).toBe('conflict');
    expect((await failure(t.backend.permissions.create({ key: 'No Colon' }))).code).toBe('invalid_request');
    expect((await t.backend.permissions.list()).data).toContainEqual({ key, description: 'Export reports', builtIn: false });

    const u = await user();
    const org = await t.backend.organizations.create({ name: 'Catalog', createdBy: u.id });
    expect((await t.backend.organizations.members.list(org.id)).data[0]!.permissions).toContain(key);
    const roles = await t.backend.listOrganizationRoles(org.id);
    expect(roles.data.find((r) => r.key === 'admin')!.permissions).toContain(key);
    expect((await failure(t.backend.organizations.roles.create(org.id, { name: 'Bad', permissions: ['ghost:read'] }))).code).toBe(
      'invalid_request',
    );
    const role = await t.backend.createOrganizationRole(org.id, { name: 'Exporter', permissions: [key, key, 'org:view'] });
    expect(role).toMatchObject({ key: 'exporter', permissions: [key, 'org:view'].sort(), isSystemRole: false, organizationId: org.id });
    expect((await failure(t.backend.permissions.delete(key))).code).toBe('conflict');
    expect((await failure(t.backend.permissions.delete('org:view'))).code).toBe('conflict');
    expect((await failure(t.backend.organizations.roles.update(org.id, 'role_owner', { name: 'Boss' }))).code).toBe('conflict');
    // A custom role may not pass for a system one: not by key, not by name (trimmed, any case).
    for (const input of [{ name: ' owner ' }, { name: 'ADMIN' }, { name: 'Boss', key: 'member' }]) {
      expect((await failure(t.backend.organizations.roles.create(org.id, { ...input, permissions: ['org:view'] }))).code).toBe('conflict');
    }
    expect((await failure(t.backend.organizations.roles.update(org.id, role.id, { name: 'Owner' }))).code).toBe('conflict');
    expect((await failure(t.backend.organizations.roles.delete(org.id, 'role_admin'))).code).toBe('conflict');
    const renamed = await t.backend.updateOrganizationRole(org.id, role.id, { name: 'Exporters', permissions: ['org:view'] });
    expect(renamed).toMatchObject({ name: 'Exporters', key: 'exporter', permissions: ['org:view'] });
    expect(await t.backend.permissions.delete(key)).toEqual({ key, deleted: true });
    expect((await failure(t.backend.permissions.delete(key))).code).toBe('not_found');
    expect((await t.backend.organizations.members.list(org.id)).data[0]!.permissions).not.toContain(key);
    expect(await t.backend.deleteOrganizationRole(org.id, role.id)).toEqual({ id: role.id, deleted: true });
    expect((await failure(t.backend.organizations.roles.delete(org.id, role.id))).code).toBe('not_found');
  });

  it('a role in use cannot be deleted; deleting the organization removes its roles and memberships', async () => {
    const [x, y] = [await user(), await user()];
    const org = await t.backend.organizations.create({ name: 'InUse', createdBy: x.id });
    const role = await t.backend.organizations.roles.create(org.id, { name: 'Used', permissions: ['org:view'] });
    await t.backend.organizations.members.add(org.id, { userId: y.id, roleId: role.id });
    expect((await failure(t.backend.organizations.roles.delete(org.id, role.id))).code).toBe('conflict');
    await t.backend.organizations.delete(org.id);
    const db = t.gatehouse.deps.db;
    expect(await db.selectFrom('roles').select('id').where('id', '=', role.id).execute()).toEqual([]);
    expect(await db.selectFrom('memberships').select('id').where('organization_id', '=', org.id).execute()).toEqual([]);
    expect((await t.backend.users.memberships.listOrganizations(y.id)).data).toEqual([]);
  });

  it('pages the audit log newest first, even within one millisecond', async () => {
    const org = await t.backend.organizations.create({ name: 'Audited' });
    for (let i = 0; i < 4; i++) await t.backend.organizations.update(org.id, { name: `Audited ${i}` });
    const first = await t.backend.organizations.auditLog.list(org.id, { limit: 2 });
    expect(first.data.map((e) => e.data['name'])).toEqual(['Audited 3', 'Audited 2']);
    const second = await t.backend.organizations.auditLog.list(org.id, { limit: 2, cursor: first.nextCursor! });
    expect(second.data.map((e) => e.data['name'])).toEqual(['Audited 1', 'Audited 0']);
    const last = await t.backend.organizations.auditLog.list(org.id, { limit: 2, cursor: second.nextCursor! });
    expect(last).toMatchObject({ hasMore: false, nextCursor: null });
    expect(last.data.map((e) => e.action)).toEqual(['organization.created']);
  });

  it('an organization that never existed has no log, whatever the cursor; a deleted one keeps its log', async () => {
    const never = 'org_00000000000000000000000000';
    const org = await t.backend.organizations.create({ name: 'Gone' });
    await t.backend.organizations.update(org.id, { name: 'Going' });
    const cursor = (await t.backend.organizations.auditLog.list(org.id, { limit: 1 })).nextCursor!;
    expect(cursor).toBeTruthy();
    for (const query of [{}, { cursor }, { cursor, limit: 5 }]) {
      const error = await failure(t.backend.organizations.auditLog.list(never, query));
      expect([error.status, error.code]).toEqual([404, 'not_found']);
    }
    await t.backend.organizations.delete(org.id);
    const log = await t.backend.organizations.auditLog.list(org.id);
    expect(log.data.map((e) => e.action)).toEqual(['organization.deleted', 'organization.updated', 'organization.created']);
    const later = await t.backend.organizations.auditLog.list(org.id, { cursor });
    expect(later).toMatchObject({ hasMore: false, nextCursor: null });
    expect(later.data.map((e) => e.action)).toEqual(['organization.created']);
  });
});
