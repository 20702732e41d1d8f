import type { Client } from '@gatehouse/sdk';
import { GatehouseError } from '@gatehouse/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SignedInClient, signedInClient } from './auth-helpers.js';
import { startTestGatehouse, type TestGatehouse } from './harness.js';

/**
 * Who may call which organization operation: every system role, a custom role and an outsider,
 * against every frontend organization operation, in one table (STYLE.md §10). Each cell runs in a
 * fresh organization made through the backend API: owner0 (a second owner), the actor with the
 * row's role, target (a `member`), and a custom role X. The custom role `custom` holds org:view,
 * members:view, members:manage, workspaces:view, audit:view.
 */
type Actor = 'owner' | 'admin' | 'member' | 'custom' | 'outsider';
const actors: Actor[] = ['owner', 'admin', 'member', 'custom', 'outsider'];

interface World {
  orgId: string;
  owner0: string;
  target: string;
  roleX: string;
}

type Call = (c: Client, w: World) => Promise<unknown>;
type Row = [operation: string, expected: Record<Actor, number>, call: Call];

function row(operation: string, owner: number, admin: number, member: number, custom: number, outsider: number, call: Call): Row {
  return [operation, { owner, admin, member, custom, outsider }, call];
}

const org = (w: World) => ({ organizationId: w.orgId });

// biome-ignore format: the matrix reads as an aligned table
const matrix: Row[] = [
  //  operation                    owner admin member custom outsider call
  row('organizations/create',      200,  200,  200,   200,   200,     (c) => c.organizations.create({ name: 'Mine' })),
  row('organizations/list',        200,  200,  200,   200,   200,     (c) => c.organizations.list()),
  row('me/organizations/list',     200,  200,  200,   200,   200,     (c) => c.me.organizations.list()),
  row('organizations/get',         200,  200,  200,   200,   404,     (c, w) => c.organizations.get(org(w))),
  row('organizations/update',      200,  200,  403,   403,   404,     (c, w) => c.organizations.update({ ...org(w), name: 'Renamed' })),
  row('organizations/delete',      200,  403,  403,   403,   404,     (c, w) => c.organizations.delete(org(w))),
  row('organizations/leave',       200,  200,  200,   200,   404,     (c, w) => c.organizations.leave(org(w))),
  row('organizations/roles',       200,  200,  200,   200,   200,     (c) => c.organizations.roles()),
  row('organizations/roles (org)', 200,  200,  200,   200,   404,     (c, w) => c.organizations.roles(org(w))),
  row('roles/create',              200,  200,  403,   403,   404,     (c, w) => c.organizations.roles.create({ ...org(w), name: 'V', permissions: ['org:view'] })),
  row('roles/update',              200,  200,  403,   403,   404,     (c, w) => c.organizations.roles.update({ ...org(w), roleId: w.roleX, name: 'Y' })),
  row('roles/delete',              200,  200,  403,   403,   404,     (c, w) => c.organizations.roles.delete({ ...org(w), roleId: w.roleX })),
  row('members/list',              200,  200,  200,   200,   404,     (c, w) => c.organizations.members.list(org(w))),
  row('members/set-role → admin',  200,  200,  403,   403,   404,     (c, w) => c.organizations.members.setRole({ ...org(w), userId: w.target, role: 'admin' })),
  row('members/set-role → owner',  200,  403,  403,   403,   404,     (c, w) => c.organizations.members.setRole({ ...org(w), userId: w.target, role: 'owner' })),
  row('members/remove member',     200,  200,  403,   200,   404,     (c, w) => c.organizations.members.remove({ ...org(w), userId: w.target })),
  row('members/remove owner',      200,  403,  403,   403,   404,     (c, w) => c.organizations.members.remove({ ...org(w), userId: w.owner0 })),
  row('audit-log/list',            200,  200,  403,   200,   404,     (c, w) => c.organizations.auditLog.list(org(w))),
  row('session/set-active',        200,  200,  200,   200,   404,     (c, w) => c.session.setActive(org(w))),
  row('tokens/create',             200,  200,  403,   403,   404,     (c, w) => c.organizations.tokens.create(org(w))),
  row('tokens/list',               200,  200,  403,   403,   404,     (c, w) => c.organizations.tokens.list(org(w))),
  row('tokens/revoke',             200,  200,  403,   403,   404,     async (c, w) => c.organizations.tokens.revoke({ ...org(w), id: (await t.backend.organizations.apiTokens.create(w.orgId)).apiToken.id })),
];

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
  for (const [name, expected, call] of matrix) {
    it(name, async () => {
      const got: Partial<Record<Actor, number>> = {};
      for (const actor of actors) got[actor] = await statusOf(call(signedIn[actor].client, await world(actor)));
      expect(got).toEqual(expected);
    });
  }
});
