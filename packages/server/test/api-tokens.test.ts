import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, rawPost, signedInClient } from './auth-helpers.js';
import { startTestGatehouse, type TestGatehouse } from './harness.js';

let t: TestGatehouse;
beforeAll(async () => {
  t = await startTestGatehouse();
});
afterAll(() => t.close());

const MEMBER_PERMISSIONS = ['members:view', 'org:view', 'workspaces:view'];

/** An organization made by a signed-in owner (through the frontend), with a `member` beside them. */
async function team() {
  const owner = await signedInClient(t);
  const { organization } = await owner.client.organizations.create({ name: 'Tokens' });
  const member = await t.backend.users.create({ email: t.email('member') });
  await t.backend.organizations.members.add(organization.id, { userId: member.id, role: 'member' });
  return { owner, orgId: organization.id, memberId: member.id };
}

/** A token made with the secret key, and a frontend client acting as it. */
async function machine(orgId: string, permissions?: string[], extra: { expiresAt?: string } = {}) {
  const { apiToken } = await t.backend.organizations.apiTokens.create(orgId, { ...(permissions ? { permissions } : {}), ...extra });
  return { apiToken, client: t.client({ apiToken: apiToken.bearer }) };
}

async function events(orgId: string) {
  const log = await t.backend.organizations.auditLog.list(orgId, { limit: 100 });
  return log.data;
}

describe('organization API tokens: creating and listing', () => {
  it('create shows the secret and bearer once; the key names the env; permissions default to the member role', async () => {
    const { owner, orgId } = await team();
    const { apiToken } = await owner.client.organizations.tokens.create({ organizationId: orgId, name: 'CI' });
    expect(apiToken).toMatchObject({ organizationId: orgId, name: 'CI', env: 'live', permissions: MEMBER_PERMISSIONS, lastUsedAt: null });
    expect(apiToken.id).toMatch(/^tok_/);
    expect(apiToken.key).toMatch(/^gh_live_[0-9a-z]{16}$/);
    expect(apiToken.secret).toMatch(/^[0-9a-z]{52}$/);
    expect(apiToken.bearer).toBe(`${apiToken.key}:${apiToken.secret}`);
    expect(apiToken.lastFour).toBe(apiToken.secret.slice(-4));
    const test = await owner.client.organizations.tokens.create({ organizationId: orgId, env: 'test' });
    expect(test.apiToken).toMatchObject({ env: 'test', name: 'API token' });
    expect(test.apiToken.key).toMatch(/^gh_test_/);

    // Listing never returns a secret, on either API.
    const listed = await owner.client.organizations.tokens.list({ organizationId: orgId });
    expect(listed.apiTokens.map((k) => k.id)).toEqual([test.apiToken.id, apiToken.id]);
    const backend = await t.backend.organizations.apiTokens.list(orgId);
    for (const text of [JSON.stringify(listed), JSON.stringify(backend)]) {
      expect(text).not.toContain(apiToken.secret);
      expect(text).not.toContain('"secret"');
      expect(text).not.toContain('bearer');
    }
    const [event] = (await events(orgId)).filter((e) => e.action === 'api_token.created');
    expect(event).toMatchObject({ actor: { type: 'user', id: owner.user.id }, target: { type: 'api_token', id: test.apiToken.id } });
    expect(JSON.stringify(await events(orgId))).not.toContain(apiToken.secret);
  });

  it('lists page by limit and cursor, newest first', async () => {
    const { orgId } = await team();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.unshift((await t.backend.organizations.apiTokens.create(orgId, { name: `T${i}` })).apiToken.id);
    const first = await t.backend.organizations.apiTokens.list(orgId, { limit: 2 });
    expect(first).toMatchObject({ hasMore: true });
    const rest = await t.backend.organizations.apiTokens.list(orgId, { limit: 2, cursor: first.nextCursor! });
    expect([...first.data, ...rest.data].map((k) => k.id)).toEqual(ids);
    const all: string[] = [];
    for await (const token of t.backend.organizations.apiTokens.listAll(orgId)) all.push(token.id);
    expect(all).toEqual(ids);
  });

  it('a token never gets more than its creator holds (403), and every refusal has its code', async () => {
    const { owner, orgId } = await team();
    const admin = await signedInClient(t);
    await t.backend.organizations.members.add(orgId, { userId: admin.user.id, role: 'admin' });
    const manager = await signedInClient(t);
    const role = await t.backend.organizations.roles.create(orgId, { name: 'Token manager', permissions: ['org:manage'] });
    await t.backend.organizations.members.add(orgId, { userId: manager.user.id, roleId: role.id });
    const plain = await signedInClient(t);
    await t.backend.organizations.members.add(orgId, { userId: plain.user.id, role: 'member' });
    const outsider = await signedInClient(t);
    const create = (c: typeof owner.client, input: Record<string, unknown> = {}) =>
      c.organizations.tokens.create({ organizationId: orgId, ...input });

    // An admin may give what an admin holds, not org:delete.
    expect((await create(admin.client, { permissions: ['org:manage', 'members:manage'] })).apiToken.permissions).toEqual([
      'members:manage',
      'org:manage',
    ]);
    expect(await failure(create(admin.client, { permissions: ['org:delete'] }))).toMatchObject({ status: 403, code: 'forbidden' });
    // The default (the member role's permissions) obeys the same rule.
    expect(await failure(create(manager.client))).toMatchObject({ status: 403, code: 'forbidden' });
    expect((await create(manager.client, { permissions: ['org:manage'] })).apiToken.permissions).toEqual(['org:manage']);
    expect(await failure(create(plain.client))).toMatchObject({ status: 403, code: 'forbidden' });
    expect(await failure(create(outsider.client))).toMatchObject({ status: 404, code: 'not_found' });
    expect(await failure(create(owner.client, { permissions: ['invoices:approve'] }))).toMatchObject({
      status: 400,
      code: 'invalid_request',
    });
    expect(await failure(create(owner.client, { permissions: ['not a permission'] }))).toMatchObject({ status: 400 });
    expect(await failure(create(owner.client, { env: 'prod' }))).toMatchObject({ status: 400 });
    expect(await failure(create(owner.client, { organizationId: orgId, createdBy: owner.user.id }))).toMatchObject({ status: 400 });
    const past = new Date(t.clock.now().getTime() - 1000).toISOString();
    expect(await failure(create(owner.client, { expiresAt: past }))).toMatchObject({ status: 400, code: 'invalid_request' });
    // Refused escalation attempts are in the audit log.
    expect((await events(orgId)).some((e) => e.action === 'authz.denied' && e.actor.id === admin.user.id)).toBe(true);
  });

  it('the frontend create needs a recent re-authentication (403 mfa_required), list and revoke do not', async () => {
    const { owner, orgId } = await team();
    t.clock.advance(11 * 60 * 1000);
    const error = await failure(owner.client.organizations.tokens.create({ organizationId: orgId }));
    expect(error).toMatchObject({ status: 403, code: 'mfa_required' });
    expect((await owner.client.organizations.tokens.list({ organizationId: orgId })).apiTokens).toEqual([]);
    await owner.client.auth.reauthenticate({ password: owner.password });
    expect((await owner.client.organizations.tokens.create({ organizationId: orgId })).apiToken.id).toMatch(/^tok_/);
  });

  it('the secret key makes tokens with any permission; an unknown organization is 404', async () => {
    const { orgId } = await team();
    const { apiToken } = await t.backend.organizations.apiTokens.create(orgId, {
      permissions: ['org:delete', 'roles:manage'],
      env: 'test',
    });
    expect(apiToken).toMatchObject({ env: 'test', permissions: ['org:delete', 'roles:manage'] });
    const [event] = (await events(orgId)).filter((e) => e.action === 'api_token.created');
    expect(event?.actor.type).toBe('admin');
    expect(await failure(t.backend.organizations.apiTokens.create('org_01jd5x3k8m2q4r6t8v0w2y4a6c'))).toMatchObject({ status: 404 });
  });
});

describe('organization API tokens: acting as the organization', () => {
  it('acts only with its permissions; privileged changes are audited with the token as actor', async () => {
    const { orgId, memberId } = await team();
    const reader = await machine(orgId);
    expect((await reader.client.organizations.get({ organizationId: orgId })).organization.id).toBe(orgId);
    expect((await reader.client.organizations.members.list({ organizationId: orgId })).members).toHaveLength(2);
    expect(await failure(reader.client.organizations.update({ organizationId: orgId, name: 'No' }))).toMatchObject({
      status: 403,
      code: 'forbidden',
    });

    // Removing a member needs every permission of their role (no escalation), workspaces:view included.
    const writer = await machine(orgId, ['org:view', 'org:manage', 'members:view', 'members:manage', 'workspaces:view']);
    await writer.client.organizations.update({ organizationId: orgId, name: 'Renamed by a machine' });
    await writer.client.organizations.members.remove({ organizationId: orgId, userId: memberId });
    const log = await events(orgId);
    const actor = { type: 'token', id: writer.apiToken.id };
    expect(log.find((e) => e.action === 'organization.updated')).toMatchObject({ actor });
    expect(log.find((e) => e.action === 'member.removed')).toMatchObject({ actor });
    expect(log.find((e) => e.action === 'authz.denied')).toMatchObject({ actor: { type: 'token', id: reader.apiToken.id } });
  });

  it("an organization's token on another organization gets 404, like an organization that does not exist", async () => {
    const a = await team();
    const b = await team();
    const { client } = await machine(a.orgId, ['org:view', 'org:manage', 'members:view', 'members:manage', 'audit:view']);
    // Thunks, called one at a time: a rejection is always awaited where it happens.
    for (const call of [
      () => client.organizations.get({ organizationId: b.orgId }),
      () => client.organizations.update({ organizationId: b.orgId, name: 'Mine now' }),
      () => client.organizations.members.list({ organizationId: b.orgId }),
      () => client.organizations.members.remove({ organizationId: b.orgId, userId: b.memberId }),
      () => client.organizations.auditLog.list({ organizationId: b.orgId }),
    ]) {
      expect(await failure(call())).toMatchObject({ status: 404, code: 'not_found' });
    }
    expect((await t.backend.organizations.get(b.orgId)).name).toBe('Tokens');
    expect((await t.backend.organizations.members.list(b.orgId)).data).toHaveLength(2);
  });

  it('a revoked token gets 401 on the very next request; revoke is idempotent and audited once', async () => {
    const { owner, orgId } = await team();
    const { apiToken } = await owner.client.organizations.tokens.create({ organizationId: orgId });
    const machineClient = t.client({ apiToken: apiToken.bearer });
    await machineClient.organizations.get({ organizationId: orgId });
    const first = await owner.client.organizations.tokens.revoke({ organizationId: orgId, id: apiToken.id });
    expect(first.apiToken.revokedAt).not.toBeNull();
    expect(await failure(machineClient.organizations.get({ organizationId: orgId }))).toMatchObject({
      status: 401,
      code: 'unauthenticated',
    });
    t.clock.advance(1000);
    const again = await owner.client.organizations.tokens.revoke({ organizationId: orgId, id: apiToken.id });
    expect(again).toEqual(first);
    expect(await t.backend.organizations.apiTokens.revoke(orgId, apiToken.id)).toEqual(first.apiToken);
    expect((await events(orgId)).filter((e) => e.action === 'api_token.revoked')).toHaveLength(1);
    expect(await t.backend.apiTokens.verify(apiToken.bearer)).toMatchObject({ valid: false });
    // Unknown ids, and another organization's token, are 404.
    const other = await team();
    const foreign = await machine(other.orgId);
    for (const id of ['tok_01jd5x3k8m2q4r6t8v0w2y4a6c', foreign.apiToken.id, 'nonsense']) {
      expect(await failure(owner.client.organizations.tokens.revoke({ organizationId: orgId, id }))).toMatchObject({ status: 404 });
    }
    expect(await failure(t.backend.organizations.apiTokens.revoke(orgId, foreign.apiToken.id))).toMatchObject({ status: 404 });
    expect(await foreign.client.organizations.get({ organizationId: other.orgId })).toBeTruthy();
  });

  it('an expired token gets 401 from its expiry on, by the server clock', async () => {
    const { orgId } = await team();
    const expiresAt = new Date(t.clock.now().getTime() + 60 * 60 * 1000).toISOString();
    const { apiToken, client } = await machine(orgId, undefined, { expiresAt });
    expect(apiToken.expiresAt).toBe(expiresAt);
    await client.organizations.get({ organizationId: orgId });
    t.clock.advance(60 * 60 * 1000);
    expect(await failure(client.organizations.get({ organizationId: orgId }))).toMatchObject({ status: 401, code: 'unauthenticated' });
    expect(await t.backend.apiTokens.verify(apiToken.bearer)).toMatchObject({ valid: false });
  });

  it('lastUsedAt is written at most once a minute', async () => {
    const { orgId } = await team();
    const { apiToken, client } = await machine(orgId);
    const lastUsed = async () => (await t.backend.organizations.apiTokens.list(orgId)).data.find((k) => k.id === apiToken.id)?.lastUsedAt;
    expect(await lastUsed()).toBeNull();
    const t0 = t.clock.now().getTime();
    await client.organizations.get({ organizationId: orgId });
    const first = await lastUsed();
    expect(new Date(first!).getTime()).toBeGreaterThanOrEqual(t0);
    t.clock.advance(30_000);
    await client.organizations.get({ organizationId: orgId });
    expect(await lastUsed()).toBe(first);
    t.clock.advance(31_000);
    await client.organizations.get({ organizationId: orgId });
    const second = await lastUsed();
    expect(new Date(second!).getTime() - new Date(first!).getTime()).toBeGreaterThanOrEqual(60_000);
  });

  it('bad bearers get 401: wrong secret, malformed, unknown key', async () => {
    const { orgId } = await team();
    const { apiToken } = await machine(orgId);
    const wrongSecret = `${apiToken.key}:${'0'.repeat(52)}`;
    const unknownKey = `gh_live_${'0'.repeat(16)}:${apiToken.secret}`;
    for (const bearer of [wrongSecret, unknownKey, 'gh_live_x:y', `${apiToken.bearer}x`, `${apiToken.key}:`]) {
      const answer = await rawPost(t, 'organizations/get', { organizationId: orgId }, { authorization: `Bearer ${bearer}` });
      expect([answer.status, answer.body.errors?.[0]?.code]).toEqual([401, 'unauthenticated']);
      expect(await t.backend.apiTokens.verify(bearer)).toEqual({
        valid: false,
        organizationId: null,
        tokenId: null,
        env: null,
        permissions: null,
      });
    }
  });

  it('verify tells the SaaS backend which organization and permissions a bearer stands for', async () => {
    const { orgId } = await team();
    const { apiToken } = await t.backend.organizations.apiTokens.create(orgId, { env: 'test', permissions: ['org:view'] });
    expect(await t.backend.apiTokens.verify(apiToken.bearer)).toEqual({
      valid: true,
      organizationId: orgId,
      tokenId: apiToken.id,
      env: 'test',
      permissions: ['org:view'],
    });
    // The secret key is still required.
    const response = await fetch(`${t.url}/backend/v1/api-tokens/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiToken.bearer}` },
      body: JSON.stringify({ bearer: apiToken.bearer }),
    });
    expect(response.status).toBe(401);
  });

  it('a token is the organization’s: it outlives its creator’s membership, and dies with the organization', async () => {
    const { orgId } = await team();
    const admin = await signedInClient(t);
    await t.backend.organizations.members.add(orgId, { userId: admin.user.id, role: 'admin' });
    const { apiToken } = await admin.client.organizations.tokens.create({ organizationId: orgId });
    const client = t.client({ apiToken: apiToken.bearer });
    await admin.client.organizations.leave({ organizationId: orgId });
    expect((await client.organizations.get({ organizationId: orgId })).organization.id).toBe(orgId);
    await t.backend.organizations.delete(orgId);
    expect(await failure(client.organizations.get({ organizationId: orgId }))).toMatchObject({ status: 401 });
  });

  it('a permission deleted from the catalog is taken from every token', async () => {
    const { orgId } = await team();
    const key = `reports${Date.now()}:export`;
    await t.backend.permissions.create({ key });
    const { apiToken } = await t.backend.organizations.apiTokens.create(orgId, { permissions: ['org:view', key] });
    await t.backend.permissions.delete(key);
    expect(await t.backend.apiTokens.verify(apiToken.bearer)).toMatchObject({ valid: true, permissions: ['org:view'] });
  });

  it('the frontend client takes either a session token or an API token', () => {
    expect(() => t.client({ apiToken: 'gh_live_a:b', sessionToken: 'ses_a.b' })).toThrow(TypeError);
  });
});
