import { frontendOperations, tokenMayCall } from '@gatehouse/contract';
import { type Client, GatehouseError } from '@gatehouse/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawPost } from './auth-helpers.js';
import { startTestGatehouse, type TestGatehouse } from './harness.js';

/**
 * What an organization API token may call, in one table (STYLE.md §10): tokens with the member
 * role's permissions (`reader`), with management permissions (`manager`), and a token of another
 * organization holding every permission (`stranger`), against every operation open to tokens.
 * Each cell runs in a fresh organization: owner0 (its owner) and target (a `member`).
 */
type Caller = 'reader' | 'manager' | 'stranger';
const callers: Caller[] = ['reader', 'manager', 'stranger'];

const permissionsOf: Record<Caller, string[] | undefined> = {
  reader: undefined,
  manager: ['org:view', 'org:manage', 'members:view', 'members:manage', 'workspaces:view', 'audit:view'],
  stranger: ['org:view', 'org:manage', 'org:delete', 'members:view', 'members:manage', 'roles:manage', 'workspaces:view', 'audit:view'],
};

interface World {
  orgId: string;
  owner0: string;
  target: string;
}

type Call = (c: Client, w: World) => Promise<unknown>;
type Row = [operation: string, expected: Record<Caller, number>, call: Call];

function row(operation: string, reader: number, manager: number, stranger: number, call: Call): Row {
  return [operation, { reader, manager, stranger }, call];
}

const org = (w: World) => ({ organizationId: w.orgId });

// biome-ignore format: the matrix reads as an aligned table
const matrix: Row[] = [
  //  operation                 reader manager stranger call
  row('organizations/get',      200,   200,    404,     (c, w) => c.organizations.get(org(w))),
  row('organizations/update',   403,   200,    404,     (c, w) => c.organizations.update({ ...org(w), name: 'Renamed' })),
  row('members/list',           200,   200,    404,     (c, w) => c.organizations.members.list(org(w))),
  row('members/remove member',  403,   200,    404,     (c, w) => c.organizations.members.remove({ ...org(w), userId: w.target })),
  row('members/remove owner',   403,   403,    404,     (c, w) => c.organizations.members.remove({ ...org(w), userId: w.owner0 })),
  row('audit-log/list',         403,   200,    404,     (c, w) => c.organizations.auditLog.list(org(w))),
];

/**
 * Operations bound to a person, and those kept from tokens whatever their permissions: a token
 * gets 403 on each. Listed by name so that opening one to tokens in the contract fails here.
 * Names of operations not served yet are skipped.
 */
const refused = [
  'me/get',
  'me/update',
  'me/sessions/list',
  'me/organizations/list',
  'session/get',
  'session/token',
  'session/set-active',
  'auth/sign-in',
  'auth/sign-up',
  'auth/sign-out',
  'auth/reauthenticate',
  'organizations/create',
  'organizations/list',
  'organizations/leave',
  'organizations/delete',
  'organizations/roles',
  'organizations/roles/create',
  'organizations/roles/update',
  'organizations/roles/delete',
  'organizations/members/set-role',
  'organizations/tokens/create',
  'organizations/tokens/list',
  'organizations/tokens/revoke',
  'organizations/join-codes/join',
  'organizations/invitations/accept',
];

let t: TestGatehouse;
beforeAll(async () => {
  t = await startTestGatehouse();
});
afterAll(() => t.close());

async function world(): Promise<World> {
  const owner0 = await t.backend.users.create({ email: t.email('owner0') });
  const target = await t.backend.users.create({ email: t.email('target') });
  const made = await t.backend.organizations.create({ name: 'Token matrix', createdBy: owner0.id });
  await t.backend.organizations.members.add(made.id, { userId: target.id, role: 'member' });
  return { orgId: made.id, owner0: owner0.id, target: target.id };
}

async function tokenClient(caller: Caller, w: World): Promise<Client> {
  const orgId = caller === 'stranger' ? (await world()).orgId : w.orgId;
  const permissions = permissionsOf[caller];
  const { apiToken } = await t.backend.organizations.apiTokens.create(orgId, permissions ? { permissions } : {});
  return t.client({ apiToken: apiToken.bearer });
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

describe('permission matrix (org API tokens)', () => {
  for (const [name, expected, call] of matrix) {
    it(name, async () => {
      const got: Partial<Record<Caller, number>> = {};
      for (const caller of callers) {
        const w = await world();
        got[caller] = await statusOf(call(await tokenClient(caller, w), w));
      }
      expect(got).toEqual(expected);
    });
  }

  it('every operation the contract keeps from tokens answers a token 403 forbidden, whatever its permissions', async () => {
    const w = await world();
    const { apiToken } = await t.backend.organizations.apiTokens.create(w.orgId, { permissions: permissionsOf.stranger });
    const closed = frontendOperations.filter((op) => !tokenMayCall(op));
    const names = new Set(frontendOperations.map((op) => op.name));
    for (const name of refused) if (names.has(name)) expect(closed.map((op) => op.name)).toContain(name);
    for (const op of closed) {
      const answer = await rawPost(t, op.name, { organizationId: w.orgId }, { authorization: `Bearer ${apiToken.bearer}` });
      expect([op.name, answer.status, answer.body.errors?.[0]?.code]).toEqual([op.name, 403, 'forbidden']);
    }
    // Nothing changed: the organization and its owner are still there.
    expect((await t.backend.organizations.members.list(w.orgId)).data).toHaveLength(2);
  });
});
