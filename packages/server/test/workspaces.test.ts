import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, type SignedInClient, signedInClient } from './auth-helpers.js';
import { startTestGatehouse, type TestGatehouse } from './harness.js';

let t: TestGatehouse;
beforeAll(async () => {
  t = await startTestGatehouse();
});
afterAll(() => t.close());

/** An organization with an owner, one signed-in member per org role, and a workspace. */
async function world() {
  const owner = await signedInClient(t);
  const { organization } = await owner.client.organizations.create({ name: 'Team' });
  const orgId = organization.id;
  const join = async (role: string) => {
    const m = await signedInClient(t);
    await t.backend.organizations.members.add(orgId, { userId: m.user.id, role });
    return m;
  };
  const { workspace } = await owner.client.workspaces.create({ organizationId: orgId, name: 'Design' });
  return { owner, orgId, workspaceId: workspace.id, join };
}

async function status(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 200;
  } catch (error) {
    return (error as { status: number }).status;
  }
}

describe('workspaces (backend)', () => {
  it('creates, lists, gets, renames and deletes a workspace, with audit events', async () => {
    const owner = await t.backend.users.create({ email: t.email() });
    const org = await t.backend.organizations.create({ name: 'Acme', createdBy: owner.id });
    const ws = await t.backend.organizations.createWorkspace(org.id, { name: 'Ops' });
    expect(ws).toMatchObject({ organizationId: org.id, name: 'Ops', membersCount: 0 });
    expect(ws.id).toMatch(/^ws_[0-9a-z]{26}$/);
    expect((await t.backend.workspaces.list({ organizationId: org.id })).data.map((w) => w.id)).toEqual([ws.id]);
    expect(await t.backend.workspaces.update(ws.id, { name: 'Ops 2' })).toMatchObject({ name: 'Ops 2' });
    const m = await t.backend.workspaces.members.add(ws.id, { userId: owner.id, role: 'admin' });
    expect(m).toMatchObject({ workspaceId: ws.id, organizationId: org.id, userId: owner.id, role: 'admin', roleId: 'role_ws_admin' });
    expect(m.permissions).toEqual(['workspace:manage', 'workspace:view']);
    expect((await t.backend.workspaces.get(ws.id)).membersCount).toBe(1);
    expect(await t.backend.workspaces.delete(ws.id)).toEqual({ id: ws.id, deleted: true });
    expect((await failure(t.backend.workspaces.get(ws.id))).code).toBe('not_found');
    const audit = await t.backend.organizations.auditLog.list(org.id);
    expect(audit.data.map((e) => e.action).slice(0, 4)).toEqual([
      'workspace.deleted',
      'workspace.member_added',
      'workspace.updated',
      'workspace.created',
    ]);
  });

  it('refuses a user who is not an org member with 409 conflict', async () => {
    const org = await t.backend.organizations.create({ name: 'Acme' });
    const ws = await t.backend.organizations.createWorkspace(org.id, { name: 'Ops' });
    const stranger = await t.backend.users.create({ email: t.email() });
    const error = await failure(t.backend.workspaces.members.add(ws.id, { userId: stranger.id }));
    expect([error.status, error.code]).toEqual([409, 'conflict']);
    expect(error.message).toMatch(/member of the organization first/);
  });

  it('removing someone from the org removes their workspace memberships; deleting a workspace cascades', async () => {
    const org = await t.backend.organizations.create({ name: 'Acme' });
    const user = await t.backend.users.create({ email: t.email() });
    const orgMember = await t.backend.organizations.members.add(org.id, { userId: user.id });
    const a = await t.backend.organizations.createWorkspace(org.id, { name: 'A' });
    const b = await t.backend.organizations.createWorkspace(org.id, { name: 'B' });
    await t.backend.workspaces.members.add(a.id, { userId: user.id });
    const inB = await t.backend.workspaces.members.add(b.id, { userId: user.id, role: 'admin' });
    await t.backend.workspaces.delete(b.id);
    expect((await failure(t.backend.workspaces.members.remove(b.id, inB.id))).code).toBe('not_found');
    await t.backend.organizations.members.remove(org.id, orgMember.id);
    expect((await t.backend.workspaces.members.list(a.id)).data).toEqual([]);
    expect((await t.backend.workspaces.get(a.id)).membersCount).toBe(0);
  });
});

describe('workspaces (frontend)', () => {
  it('permission table: operation × caller → status', async () => {
    const { owner, orgId, workspaceId, join } = await world();
    // Custom org roles: one that sees workspaces only through its own memberships, one that manages them all.
    for (const [key, permissions] of [
      ['contractor', ['org:view']],
      ['coordinator', ['org:view', 'workspaces:manage']],
    ] as const) {
      await owner.client.organizations.roles.create({ organizationId: orgId, name: key, key, permissions: [...permissions] });
    }
    const [orgAdmin, orgMember, wsAdmin, wsMember, contractor, coordinator, outsider, target] = await Promise.all([
      join('admin'),
      join('member'),
      join('member'),
      join('member'),
      join('contractor'),
      join('coordinator'),
      signedInClient(t),
      join('member'),
    ]);
    await t.backend.workspaces.members.add(workspaceId, { userId: wsAdmin.user.id, role: 'admin' });
    await t.backend.workspaces.members.add(workspaceId, { userId: wsMember.user.id, role: 'member' });
    await t.backend.workspaces.members.add(workspaceId, { userId: contractor.user.id, role: 'member' });
    const callers: Record<string, SignedInClient> = { owner, orgAdmin, orgMember, wsAdmin, wsMember, contractor, coordinator, outsider };
    const targetMembership = async () =>
      (await t.backend.workspaces.members.list(workspaceId)).data.find((m) => m.userId === target.user.id);
    // Each row leaves the workspace as it found it, so every caller meets the same state.
    const ops: Record<string, (c: SignedInClient) => Promise<unknown>> = {
      get: (c) => c.client.workspaces.get({ workspaceId }),
      membersList: (c) => c.client.workspaces.members.list({ workspaceId }),
      rolesList: (c) => c.client.workspaces.roles.list({ workspaceId }),
      rename: (c) => c.client.workspaces.update({ workspaceId, name: 'Design' }),
      create: async (c) => {
        const { workspace } = await c.client.workspaces.create({ organizationId: orgId, name: 'X' });
        await t.backend.workspaces.delete(workspace.id);
      },
      delete: async (c) => {
        const spare = await t.backend.organizations.createWorkspace(orgId, { name: 'Spare' });
        try {
          await c.client.workspaces.delete({ workspaceId: spare.id });
        } finally {
          await t.backend.workspaces.delete(spare.id).catch(() => {});
        }
      },
      addMember: async (c) => {
        await c.client.workspaces.members.add({ workspaceId, userId: target.user.id, role: 'member' });
        const added = await targetMembership();
        if (added) await t.backend.workspaces.members.remove(workspaceId, added.id);
      },
      setRole: async (c) => {
        await t.backend.workspaces.members.add(workspaceId, { userId: target.user.id, role: 'member' });
        try {
          await c.client.workspaces.members.setRole({ workspaceId, userId: target.user.id, role: 'member' });
        } finally {
          const added = await targetMembership();
          if (added) await t.backend.workspaces.members.remove(workspaceId, added.id);
        }
      },
      removeMember: async (c) => {
        await t.backend.workspaces.members.add(workspaceId, { userId: target.user.id, role: 'member' });
        try {
          await c.client.workspaces.members.remove({ workspaceId, userId: target.user.id });
        } finally {
          const left = await targetMembership();
          if (left) await t.backend.workspaces.members.remove(workspaceId, left.id);
        }
      },
      createRole: async (c) => {
        const { role } = await c.client.workspaces.roles.create({ workspaceId, name: 'Reviewer', permissions: ['workspace:view'] });
        await t.backend.workspaces.roles.delete(workspaceId, role.id);
      },
    };
    const seeAll = {
      owner: 200,
      orgAdmin: 200,
      orgMember: 200,
      wsAdmin: 200,
      wsMember: 200,
      contractor: 200,
      coordinator: 200,
      outsider: 404,
    };
    // workspace:manage: the workspace's admins, and org workspaces:manage (owner, admin, coordinator).
    const manage = {
      owner: 200,
      orgAdmin: 200,
      orgMember: 403,
      wsAdmin: 200,
      wsMember: 403,
      contractor: 403,
      coordinator: 200,
      outsider: 404,
    };
    // Org workspaces:manage only; a spare workspace the contractor cannot even see is 404 to them.
    const orgManage = {
      owner: 200,
      orgAdmin: 200,
      orgMember: 403,
      wsAdmin: 403,
      wsMember: 403,
      contractor: 403,
      coordinator: 200,
      outsider: 404,
    };
    const expected: Record<string, Record<string, number>> = {
      get: seeAll,
      membersList: seeAll,
      rolesList: manage,
      rename: manage,
      create: orgManage,
      delete: { ...orgManage, contractor: 404 },
      addMember: manage,
      setRole: manage,
      removeMember: manage,
      createRole: manage,
    };
    const actual: Record<string, Record<string, number>> = {};
    for (const [op, run] of Object.entries(ops)) {
      actual[op] = {};
      for (const [who, c] of Object.entries(callers)) actual[op][who] = await status(run(c));
    }
    expect(actual).toEqual(expected);
  });

  it('a workspace of another organization is 404 like a missing one', async () => {
    const mine = await world();
    const other = await world();
    const c = mine.owner.client;
    const wsId = other.workspaceId;
    const userId = mine.owner.user.id;
    const codes = await Promise.all([
      status(c.workspaces.get({ workspaceId: wsId })),
      status(c.workspaces.members.list({ workspaceId: wsId })),
      status(c.workspaces.members.add({ workspaceId: wsId, userId })),
      status(c.workspaces.members.remove({ workspaceId: wsId, userId })),
      status(c.workspaces.delete({ workspaceId: wsId })),
      status(c.workspaces.list({ organizationId: other.orgId })),
      status(c.session.setActive({ organizationId: mine.orgId, workspaceId: wsId })),
      status(c.workspaces.get({ workspaceId: 'ws_nope' })),
    ]);
    expect(codes).toEqual([404, 404, 404, 404, 404, 404, 404, 404]);
  });

  it('no escalation: a workspace member cannot grant admin; not-in-org is 409', async () => {
    const { workspaceId, join, orgId } = await world();
    const wsAdmin = await join('member');
    await t.backend.workspaces.members.add(workspaceId, { userId: wsAdmin.user.id, role: 'admin' });
    const peer = await join('member');
    // A workspace admin may grant admin (within their permissions)…
    await wsAdmin.client.workspaces.members.add({ workspaceId, userId: peer.user.id, role: 'admin' });
    // …a custom org role with only workspaces:view cannot manage at all.
    const role = await t.backend.organizations.roles.create(orgId, { name: 'Viewer', permissions: ['org:view', 'workspaces:view'] });
    const viewer = await signedInClient(t);
    await t.backend.organizations.members.add(orgId, { userId: viewer.user.id, roleId: role.id });
    const other = await join('member');
    expect((await failure(viewer.client.workspaces.members.add({ workspaceId, userId: other.user.id }))).status).toBe(403);
    const stranger = await signedInClient(t);
    const error = await failure(wsAdmin.client.workspaces.members.add({ workspaceId, userId: stranger.user.id }));
    expect([error.status, error.code]).toEqual([409, 'conflict']);
  });

  it("list: every workspace for org workspaces:view, else only the caller's", async () => {
    const { owner, orgId, workspaceId } = await world();
    await owner.client.workspaces.create({ organizationId: orgId, name: 'Other' });
    const role = await t.backend.organizations.roles.create(orgId, { name: 'Basic', permissions: ['org:view'] });
    const basic = await signedInClient(t);
    await t.backend.organizations.members.add(orgId, { userId: basic.user.id, roleId: role.id });
    expect((await basic.client.workspaces.list({ organizationId: orgId })).workspaces).toEqual([]);
    await t.backend.workspaces.members.add(workspaceId, { userId: basic.user.id });
    expect((await basic.client.workspaces.list({ organizationId: orgId })).workspaces.map((w) => w.id)).toEqual([workspaceId]);
    expect((await owner.client.workspaces.list({ organizationId: orgId })).workspaces).toHaveLength(2);
  });

  it('session/set-active with a workspace puts ws_* claims in the JWT, computed at mint time', async () => {
    const { orgId, workspaceId, join } = await world();
    const m = await join('member');
    await t.backend.workspaces.members.add(workspaceId, { userId: m.user.id, role: 'admin' });
    const { session } = await m.client.session.setActive({ organizationId: orgId, workspaceId });
    expect(session.activeWorkspaceId).toBe(workspaceId);
    const claims = decodeJwt((await m.client.session.token()).token);
    expect(claims).toMatchObject({
      org_id: orgId,
      ws_id: workspaceId,
      ws_role: 'admin',
      ws_permissions: ['workspace:manage', 'workspace:view'],
    });
    // Deleting the workspace clears it: the next token carries no ws_* claims.
    await t.backend.workspaces.delete(workspaceId);
    const after = decodeJwt((await m.client.session.token()).token);
    expect(after.org_id).toBe(orgId);
    expect(after).not.toHaveProperty('ws_id');
  });

  it('removing a member from the workspace stops it being their active one, unless org rights still show it', async () => {
    const { owner, orgId, workspaceId, join } = await world();
    // A custom role without workspaces:view sees a workspace only as its member.
    await owner.client.organizations.roles.create({
      organizationId: orgId,
      name: 'Contractor',
      key: 'contractor',
      permissions: ['org:view'],
    });
    const member = await join('contractor');
    const admin = await join('member');
    for (const who of [member, admin]) {
      const added = await t.backend.workspaces.members.add(workspaceId, { userId: who.user.id });
      expect((await who.client.session.setActive({ organizationId: orgId, workspaceId })).session.activeWorkspaceId).toBe(workspaceId);
      await t.backend.workspaces.members.remove(workspaceId, added.id);
    }
    const active = (userId: string) =>
      t.gatehouse.deps.db
        .selectFrom('sessions')
        .select(['active_organization_id as org', 'active_workspace_id as ws'])
        .where('user_id', '=', userId)
        .execute();
    expect(await active(member.user.id)).toEqual([{ org: orgId, ws: null }]);
    expect(decodeJwt((await member.client.session.token()).token)).not.toHaveProperty('ws_id');
    // An org member holds workspaces:view, so the workspace is still theirs to work in.
    expect(await active(admin.user.id)).toEqual([{ org: orgId, ws: workspaceId }]);
  });
});
