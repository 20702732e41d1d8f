import type { Client } from '@gatehouse/sdk';
import { GatehouseError } from '@gatehouse/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SignedInClient, signedInClient } from './auth-helpers.js';
import { startTestGatehouse, type TestGatehouse } from './harness.js';

/**
 * Who may call which organization operation: every system role, a custom role and an outsider,
 * against every frontend operation, in one table (STYLE.md §10). Each cell runs in a fresh
 * organization made through the backend API:
 *   owner0 (a second owner), the actor with the row's role, target (a `member`), and a custom role X.
 * The custom role `custom` holds org:view, members:view, members:manage, workspaces:view, audit:view.
 */
type Actor = 'owner' | 'admin' | 'member' | 'custom' | 'outsider';
const actors: Actor[] = ['owner', 'admin', 'member', 'custom', 'outsider'];

interface World {
  orgId: string;
  owner0: string;
  target: string;
  roleX: string;
}

const matrix: [string, (c: Client, w: World) => Promise<unknown>, Record<Actor, number>][] = [
  //  operation                       call                                                                               owner admin member custom outsider
  ['organizations/get', (c, w) => c.organizations.get({ organizationId: w.orgId }), s(200, 200, 200, 200, 404)],
  ['organizations/update', (c, w) => c.organizations.update({ organizationId: w.orgId, name: 'Renamed' }), s(200, 200, 403, 403, 404)],
  ['organizations/delete', (c, w) => c.organizations.delete({ organizationId: w.orgId }), s(200, 403, 403, 403, 404)],
  ['organizations/leave', (c, w) => c.organizations.leave({ organizationId: w.orgId }), s(200, 200, 200, 200, 404)],
  ['organizations/roles (org)', (c, w) => c.organizations.roles({ organizationId: w.orgId }), s(200, 200, 200, 200, 404)],
  [
    'roles/create',
    (c, w) => c.organizations.roles.create({ organizationId: w.orgId, name: 'Viewer', permissions: ['org:view'] }),
    s(200, 200, 403, 403, 404),
  ],
  [
    'roles/update',
    (c, w) => c.organizations.roles.update({ organizationId: w.orgId, roleId: w.roleX, name: 'Y' }),
    s(200, 200, 403, 403, 404),
  ],
  ['roles/delete', (c, w) => c.organizations.roles.delete({ organizationId: w.orgId, roleId: w.roleX }), s(200, 200, 403, 403, 404)],
  ['members/list', (c, w) => c.organizations.members.list({ organizationId: w.orgId }), s(200, 200, 200, 200, 404)],
  [
    'members/set-role → admin',
    (c, w) => c.organizations.members.setRole({ organizationId: w.orgId, userId: w.target, role: 'admin' }),
    s(200, 200, 403, 403, 404),
  ],
  [
    'members/set-role → owner',
    (c, w) => c.organizations.members.setRole({ organizationId: w.orgId, userId: w.target, role: 'owner' }),
    s(200, 403, 403, 403, 404),
  ],
  [
    'members/remove member',
    (c, w) => c.organizations.members.remove({ organizationId: w.orgId, userId: w.target }),
    s(200, 200, 403, 200, 404),
  ],
  [
    'members/remove owner',
    (c, w) => c.organizations.members.remove({ organizationId: w.orgId, userId: w.owner0 }),
    s(200, 403, 403, 403, 404),
  ],
  ['audit-log/list', (c, w) => c.organizations.auditLog.list({ organizationId: w.orgId }), s(200, 200, 403, 200, 404)],
];

function s(owner: number, admin: number, member: number, custom: number, outsider: number): Record<Actor, number> {
  return { owner, admin, member, custom, outsider };
}

let t: TestGatehouse;
const signedIn = {} as Record<Actor, SignedInClient>;

beforeAll(async () => {
  t = await startTestGatehouse();
  for (const actor of actors) signedIn[actor] = await signedInClient(t);
});
afterAll(() => t.close());

async function world(actor: Actor): Promise<World> {
  const owner0 = await t.backend.users.create({ email: t.email('owner0') });
  const target = await t.backend.users.create({ email: t.email('target') });
  const org = await t.backend.organizations.create({ name: 'Matrix', createdBy: owner0.id });
  const custom = await t.backend.organizations.roles.create(org.id, {
    name: 'Custom',
    permissions: ['org:view', 'members:view', 'members:manage', 'workspaces:view', 'audit:view'],
  });
  const roleX = await t.backend.organizations.roles.create(org.id, { name: 'X', permissions: ['org:view'] });
  await t.backend.organizations.members.add(org.id, { userId: target.id, role: 'member' });
  if (actor !== 'outsider') {
    const role = actor === 'custom' ? { roleId: custom.id } : { role: actor };
    await t.backend.organizations.members.add(org.id, { userId: signedIn[actor].user.id, ...role });
  }
  return { orgId: org.id, owner0: owner0.id, target: target.id, roleX: roleX.id };
}

async function statusOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 200;
  } catch (error) {
    if (error instanceof GatehouseError) return error.status;
    throw error;
  }
}

describe('permission matrix (frontend)', () => {
  for (const [name, call, expected] of matrix) {
    it(name, async () => {
      const got: Partial<Record<Actor, number>> = {};
      for (const actor of actors) got[actor] = await statusOf(call(signedIn[actor].client, await world(actor)));
      expect(got).toEqual(expected);
    });
  }
});
