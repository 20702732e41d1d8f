import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, signedInClient } from './auth-helpers.js';
import { startTestGatehouse, type TestGatehouse } from './harness.js';

let t: TestGatehouse;
beforeAll(async () => {
  t = await startTestGatehouse();
});
afterAll(() => t.close());

describe('workspace members: roles, listings for a user', () => {
  it('set-role, update, me/workspaces/list and users.memberships.listWorkspaces', async () => {
    const owner = await signedInClient(t);
    const { organization } = await owner.client.organizations.create({ name: 'Team' });
    const { workspace } = await owner.client.workspaces.create({ organizationId: organization.id, name: 'Design' });
    const m = await signedInClient(t);
    await t.backend.organizations.members.add(organization.id, { userId: m.user.id });
    const { member } = await owner.client.workspaces.members.add({ workspaceId: workspace.id, userId: m.user.id });
    expect(member.role).toBe('member');
    // A workspace member cannot rename it, nor promote themselves.
    expect((await failure(m.client.workspaces.update({ workspaceId: workspace.id, name: 'Mine' }))).status).toBe(403);
    expect(
      (await failure(m.client.workspaces.members.setRole({ workspaceId: workspace.id, userId: m.user.id, role: 'admin' }))).status,
    ).toBe(403);
    await owner.client.workspaces.members.setRole({ workspaceId: workspace.id, userId: m.user.id, role: 'admin' });
    expect((await m.client.workspaces.update({ workspaceId: workspace.id, name: 'Renamed' })).workspace.name).toBe('Renamed');
    const mine = await m.client.me.workspaces.list();
    expect(mine.workspaces).toEqual([
      expect.objectContaining({
        workspace: expect.objectContaining({ id: workspace.id, name: 'Renamed' }),
        role: 'admin',
        roleId: 'role_ws_admin',
      }),
    ]);
    const back = await t.backend.users.memberships.listWorkspaces(m.user.id);
    expect(back.data).toHaveLength(1);
    expect(back.data[0]).toMatchObject({
      workspaceId: workspace.id,
      workspace: { id: workspace.id },
      organization: { id: organization.id, privateMetadata: {} },
      roleDetails: { id: 'role_ws_admin', key: 'admin', isSystemRole: true },
    });
    const updated = await t.backend.workspaces.members.update(workspace.id, back.data[0]!.id, { role: 'member' });
    expect(updated.role).toBe('member');
    const actions = (await t.backend.organizations.auditLog.list(organization.id)).data.map((e) => e.action);
    expect(actions).toContain('workspace.member_role_changed');
  });
});
