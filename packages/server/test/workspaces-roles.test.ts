import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, signedInClient } from './auth-helpers.js';
import { startTestGatehouse, type TestGatehouse } from './harness.js';

let t: TestGatehouse;
beforeAll(async () => {
  t = await startTestGatehouse();
});
afterAll(() => t.close());

describe('workspace roles', () => {
  it('custom roles: create, grant, no escalation, delete refused while held, cascade with the workspace', async () => {
    const owner = await signedInClient(t);
    const { organization } = await owner.client.organizations.create({ name: 'Team' });
    const { workspace } = await owner.client.workspaces.create({ organizationId: organization.id, name: 'Design' });
    const workspaceId = workspace.id;
    const system = await t.backend.workspaces.roles.list(workspaceId);
    expect(system.data.map((r) => r.id)).toEqual(['role_ws_admin', 'role_ws_member']);
    const { role } = await owner.client.workspaces.roles.create({
      workspaceId,
      name: 'Viewer',
      key: 'viewer',
      permissions: ['workspace:view'],
    });
    expect(role).toMatchObject({ key: 'viewer', isSystemRole: false, workspaceId, permissions: ['workspace:view'] });
    const m = await signedInClient(t);
    await t.backend.organizations.members.add(organization.id, { userId: m.user.id });
    const { member } = await owner.client.workspaces.members.add({ workspaceId, userId: m.user.id, roleId: role.id });
    expect(member).toMatchObject({ role: 'viewer', roleId: role.id });
    // A custom role with workspace:view cannot manage roles, nor create a manage role.
    expect((await failure(m.client.workspaces.roles.create({ workspaceId, name: 'Boss', permissions: ['workspace:manage'] }))).status).toBe(
      403,
    );
    // A workspace admin (not an org manager) may create roles within its own permissions.
    const a = await signedInClient(t);
    await t.backend.organizations.members.add(organization.id, { userId: a.user.id });
    await t.backend.workspaces.members.add(workspaceId, { userId: a.user.id, role: 'admin' });
    const made = await a.client.workspaces.roles.create({
      workspaceId,
      name: 'Editors',
      permissions: ['workspace:view', 'workspace:manage'],
    });
    expect(made.role.key).toBe('editors');
    expect((await failure(t.backend.workspaces.roles.delete(workspaceId, role.id))).code).toBe('conflict');
    expect(await t.backend.workspaces.roles.update(workspaceId, made.role.id, { name: 'Eds' })).toMatchObject({ name: 'Eds' });
    expect(await t.backend.workspaces.roles.delete(workspaceId, made.role.id)).toEqual({ id: made.role.id, deleted: true });
    await t.backend.workspaces.delete(workspaceId);
    const left = await t.gatehouse.deps.db.selectFrom('workspace_roles').select('id').where('workspace_id', '=', workspaceId).execute();
    expect(left).toEqual([]);
  });
});
