import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../src/security/tokens.js';
import { failure, type SignedInClient, signedInClient } from './auth-helpers.js';
import { startTestGatehouse, type TestGatehouse } from './harness.js';

let t: TestGatehouse;
beforeAll(async () => {
  t = await startTestGatehouse();
});
afterAll(() => t.close());

const DAY = 24 * 60 * 60 * 1000;

/** An organization with a signed-in owner, a workspace, and signed-in members with the given roles. */
async function team(roles: string[] = []) {
  const owner = await signedInClient(t, { firstName: 'Olga' });
  const { organization } = await owner.client.organizations.create({ name: 'Team' });
  const orgId = organization.id;
  const { workspace } = await owner.client.workspaces.create({ organizationId: orgId, name: 'Design' });
  const members: SignedInClient[] = [];
  for (const role of roles) {
    const m = await signedInClient(t);
    await t.backend.organizations.members.add(orgId, { userId: m.user.id, role });
    members.push(m);
  }
  return { owner, orgId, workspaceId: workspace.id, members };
}

async function actions(orgId: string) {
  return (await t.backend.organizations.auditLog.list(orgId, { limit: 100 })).data.map((e) => e.action);
}

async function outbox(to: string) {
  return (await t.backend.outbox.list({ to, kind: 'invitation' })).data;
}

describe('invitations (backend)', () => {
  it('creates with a 256-bit token stored only as its hash, returned once with acceptUrl, expiring in 10 days', async () => {
    const { orgId } = await team();
    const email = t.email('invitee');
    const created = await t.backend.organizations.invitations.create(orgId, { email: email.toUpperCase() });
    expect(created.token.length).toBeGreaterThanOrEqual(26);
    expect(created.acceptUrl).toBe(`http://localhost:8787/playground/accept#token=${created.token}`);
    const inv = created.invitation;
    expect(inv).toMatchObject({
      organizationId: orgId,
      email,
      status: 'pending',
      role: 'member',
      roleId: 'role_member',
      workspaceId: null,
      workspace: null,
      initialWorkspaceRole: null,
      acceptedAt: null,
      acceptedBy: null,
      revokedAt: null,
      inviter: null,
      inviterRoles: [],
      initialOrganizationRole: { id: 'role_member', key: 'member', isSystemRole: true },
    });
    expect(inv.id).toMatch(/^inv_[0-9a-z]{26}$/);
    expect(new Date(inv.expiresAt).getTime() - new Date(inv.createdAt).getTime()).toBe(10 * DAY);
    const stored = await t.gatehouse.deps.db.selectFrom('invitations').selectAll().where('id', '=', inv.id).executeTakeFirstOrThrow();
    expect(stored.token_hash).toBe(sha256(created.token));
    expect(JSON.stringify(stored)).not.toContain(created.token);
    const listed = await t.backend.organizations.invitations.list(orgId);
    expect(listed.data.map((i) => i.id)).toEqual([inv.id]);
    expect(JSON.stringify(listed)).not.toContain(created.token);
    // Backend invitations are emailed only when asked.
    expect(await outbox(email)).toEqual([]);
    expect(await actions(orgId)).toContain('invitation.created');
  });

  it('invites into a workspace with a workspace role (default member); validates the input', async () => {
    const { orgId, workspaceId } = await team();
    const a = await t.backend.organizations.invitations.create(orgId, { email: t.email(), workspaceId });
    expect(a.invitation).toMatchObject({
      workspaceId,
      workspaceRole: 'member',
      workspaceRoleId: 'role_ws_member',
      workspace: { id: workspaceId, name: 'Design' },
    });
    expect(a.invitation.initialWorkspaceRole).toMatchObject({ id: 'role_ws_member', permissions: ['workspace:view'] });
    const b = await t.backend.organizations.invitations.create(orgId, {
      email: t.email(),
      workspaceId,
      workspaceRole: 'admin',
      role: 'admin',
      expiryDays: 3,
    });
    expect(b.invitation).toMatchObject({ role: 'admin', workspaceRole: 'admin' });
    expect(new Date(b.invitation.expiresAt).getTime() - new Date(b.invitation.createdAt).getTime()).toBe(3 * DAY);

    const inv = t.backend.organizations.invitations;
    expect((await failure(inv.create(orgId, { email: t.email(), workspaceRole: 'admin' }))).code).toBe('invalid_request');
    expect((await failure(inv.create(orgId, { email: t.email(), expiryDays: 0 }))).code).toBe('invalid_request');
    expect((await failure(inv.create(orgId, { email: t.email(), expiryDays: 31 }))).code).toBe('invalid_request');
    expect((await failure(inv.create(orgId, { email: 'not-an-email' }))).code).toBe('invalid_request');
    expect((await failure(inv.create(orgId, { email: t.email(), role: 'nope' }))).code).toBe('invalid_request');
    const other = await team();
    const foreignRole = await t.backend.organizations.roles.create(other.orgId, { name: 'Billing', permissions: ['org:view'] });
    expect((await failure(inv.create(orgId, { email: t.email(), roleId: foreignRole.id }))).code).toBe('not_found');
    expect((await failure(inv.create(orgId, { email: t.email(), workspaceId: other.workspaceId }))).code).toBe('not_found');
    expect((await failure(inv.create('org_doesnotexist', { email: t.email() }))).code).toBe('not_found');
  });

  it('409 invitation_pending for a live one of the same email and scope; an expired one does not block', async () => {
    const { orgId, workspaceId } = await team();
    const email = t.email();
    const first = await t.backend.organizations.invitations.create(orgId, { email, expiryDays: 1 });
    const again = await failure(t.backend.organizations.invitations.create(orgId, { email }));
    expect(again).toMatchObject({ status: 409, code: 'invitation_pending' });
    // Another scope (a workspace) is another invitation.
    const inWs = await t.backend.organizations.invitations.create(orgId, { email, workspaceId });
    t.clock.advance(DAY + 1000);
    expect((await t.backend.organizations.invitations.list(orgId, { status: 'expired' })).data.map((i) => i.id)).toEqual([
      first.invitation.id,
    ]);
    const second = await t.backend.organizations.invitations.create(orgId, { email });
    expect(second.invitation.status).toBe('pending');
    const all = await t.backend.organizations.invitations.list(orgId);
    expect(all.data.find((i) => i.id === first.invitation.id)?.status).toBe('expired');
    expect((await t.backend.organizations.invitations.list(orgId, { status: 'pending' })).data.map((i) => i.id)).toEqual([
      second.invitation.id,
      inWs.invitation.id,
    ]);
    const inWorkspace = await t.backend.organizations.invitations.list(orgId, { workspaceId });
    expect(inWorkspace.data.every((i) => i.workspaceId === workspaceId)).toBe(true);
  });

  it('409 already_member for a member with that verified email; an org member can be invited into a workspace', async () => {
    const { orgId, workspaceId, members } = await team(['member']);
    const m = members[0]!;
    expect(await failure(t.backend.organizations.invitations.create(orgId, { email: m.user.email }))).toMatchObject({
      status: 409,
      code: 'already_member',
    });
    const ws = await t.backend.organizations.invitations.create(orgId, { email: m.user.email, workspaceId });
    await m.client.organizations.invitations.accept({ token: ws.token });
    expect(await failure(t.backend.organizations.invitations.create(orgId, { email: m.user.email, workspaceId }))).toMatchObject({
      code: 'already_member',
    });
    // An unverified address proves nothing: its holder is invited like anyone.
    const unverified = t.email('unverified');
    await t.backend.users.emails.create(m.user.id, { email: unverified, verified: false });
    await t.backend.organizations.invitations.create(orgId, { email: unverified });
  });

  it('discard is idempotent, keeps accepted and revoked apart, and refuses an accepted one', async () => {
    const { orgId } = await team();
    const invitee = await signedInClient(t);
    const a = await t.backend.organizations.invitations.create(orgId, { email: t.email() });
    const b = await t.backend.organizations.invitations.create(orgId, { email: invitee.user.email });
    const first = await t.backend.organizations.invitations.discard(orgId, a.invitation.id);
    expect(first).toMatchObject({ id: a.invitation.id, status: 'revoked' });
    expect(first.revokedAt).not.toBeNull();
    expect(await t.backend.organizations.invitations.discard(orgId, a.invitation.id)).toEqual(first);
    await invitee.client.organizations.invitations.accept({ token: b.token });
    expect(await failure(t.backend.organizations.invitations.discard(orgId, b.invitation.id))).toMatchObject({
      status: 409,
      code: 'invitation_accepted',
    });
    expect((await t.backend.organizations.invitations.list(orgId)).data).toEqual([]);
    const deleted = await t.backend.organizations.invitations.list(orgId, { includeDeleted: true });
    expect(Object.fromEntries(deleted.data.map((i) => [i.id, i.status]))).toEqual({
      [a.invitation.id]: 'revoked',
      [b.invitation.id]: 'accepted',
    });
    expect(deleted.data.find((i) => i.id === b.invitation.id)).toMatchObject({ acceptedBy: invitee.user.id });
    expect((await failure(t.backend.organizations.invitations.discard(orgId, 'inv_doesnotexist'))).code).toBe('not_found');
    const other = await team();
    expect((await failure(t.backend.organizations.invitations.discard(other.orgId, a.invitation.id))).code).toBe('not_found');
    expect((await actions(orgId)).filter((x) => x.startsWith('invitation.'))).toEqual([
      'invitation.accepted',
      'invitation.revoked',
      'invitation.created',
      'invitation.created',
    ]);
  });

  it('resend gives a new token and expiry (the old token stops working); not for revoked or accepted ones', async () => {
    const { orgId } = await team();
    const invitee = await signedInClient(t);
    const created = await t.backend.organizations.invitations.create(orgId, { email: invitee.user.email, expiryDays: 1 });
    t.clock.advance(2 * DAY);
    const resent = await t.backend.organizations.invitations.resend(orgId, created.invitation.id);
    expect(resent.token).not.toBe(created.token);
    expect(resent.invitation.status).toBe('pending');
    expect(await failure(invitee.client.organizations.invitations.accept({ token: created.token }))).toMatchObject({ code: 'not_found' });
    await invitee.client.organizations.invitations.accept({ token: resent.token });
    expect(await failure(t.backend.organizations.invitations.resend(orgId, created.invitation.id))).toMatchObject({
      code: 'invitation_accepted',
    });
    const revoked = await t.backend.organizations.invitations.create(orgId, { email: t.email() });
    await t.backend.organizations.invitations.discard(orgId, revoked.invitation.id);
    expect(await failure(t.backend.organizations.invitations.resend(orgId, revoked.invitation.id))).toMatchObject({
      status: 410,
      code: 'invitation_revoked',
    });
    expect(await actions(orgId)).toContain('invitation.resent');
  });

  it('deleting a workspace removes its invitations; deleting the organization makes its tokens unknown', async () => {
    const { orgId, workspaceId, owner } = await team();
    const ws = await t.backend.organizations.invitations.create(orgId, { email: t.email(), workspaceId });
    const org = await t.backend.organizations.invitations.create(orgId, { email: t.email() });
    await t.backend.workspaces.delete(workspaceId);
    expect((await t.backend.organizations.invitations.list(orgId, { includeDeleted: true })).data.map((i) => i.id)).toEqual([
      org.invitation.id,
    ]);
    expect((await failure(t.client().invitations.inspect({ token: ws.token }))).code).toBe('not_found');
    await t.backend.organizations.delete(orgId);
    expect((await failure(owner.client.organizations.invitations.accept({ token: org.token }))).code).toBe('not_found');
  });
});

describe('accepting an invitation', () => {
  it('makes the membership and the workspace membership in one step, with audit events; again → 200 alreadyMember', async () => {
    const { orgId, workspaceId } = await team();
    const invitee = await signedInClient(t);
    const { token } = await t.backend.organizations.invitations.create(orgId, {
      email: invitee.user.email,
      role: 'admin',
      workspaceId,
      workspaceRole: 'admin',
    });
    const accepted = await invitee.client.organizations.invitations.accept({ token });
    expect(accepted).toEqual({
      organizationId: orgId,
      role: 'admin',
      roleId: 'role_admin',
      workspaceId,
      workspaceRole: 'admin',
      alreadyMember: false,
    });
    const members = await t.backend.organizations.members.list(orgId);
    expect(members.data.filter((m) => m.userId === invitee.user.id)).toHaveLength(1);
    expect((await t.backend.workspaces.members.list(workspaceId)).data.map((m) => [m.userId, m.role])).toEqual([
      [invitee.user.id, 'admin'],
    ]);
    expect(await invitee.client.organizations.invitations.accept({ token })).toMatchObject({ alreadyMember: true, role: 'admin' });
    expect((await actions(orgId)).slice(0, 3)).toEqual(['invitation.accepted', 'workspace.member_added', 'member.added']);
    const someoneElse = await signedInClient(t);
    expect(await failure(someoneElse.client.organizations.invitations.accept({ token }))).toMatchObject({
      status: 409,
      code: 'invitation_accepted',
    });
  });

  it('an existing member accepts with alreadyMember: true and keeps their role', async () => {
    const { orgId, members } = await team(['admin']);
    const m = members[0]!;
    const { token } = await t.backend.organizations.invitations.create(orgId, { email: t.email() });
    await t.gatehouse.deps.db.updateTable('invitations').set({ email: m.user.email }).where('token_hash', '=', sha256(token)).execute();
    expect(await m.client.organizations.invitations.accept({ token })).toMatchObject({ alreadyMember: true, role: 'admin' });
  });

  it('403 email_mismatch for another address or an unverified one; 401 signed out; nothing changes', async () => {
    const { orgId } = await team();
    const stranger = await signedInClient(t);
    const invited = t.email('invited');
    const { token } = await t.backend.organizations.invitations.create(orgId, { email: invited });
    expect(await failure(stranger.client.organizations.invitations.accept({ token }))).toMatchObject({
      status: 403,
      code: 'email_mismatch',
    });
    await t.backend.users.emails.create(stranger.user.id, { email: invited, verified: false });
    expect(await failure(stranger.client.organizations.invitations.accept({ token }))).toMatchObject({ code: 'email_mismatch' });
    expect(await failure(t.client().organizations.invitations.accept({ token }))).toMatchObject({ status: 401, code: 'unauthenticated' });
    expect((await t.backend.organizations.members.list(orgId)).data).toHaveLength(1);
    expect((await t.backend.organizations.invitations.list(orgId)).data[0]?.status).toBe('pending');
  });

  it('410 invitation_expired and invitation_revoked; 404 for an unknown token', async () => {
    const { orgId } = await team();
    const invitee = await signedInClient(t);
    const expiring = await t.backend.organizations.invitations.create(orgId, { email: invitee.user.email, expiryDays: 1 });
    t.clock.advance(DAY);
    expect(await failure(invitee.client.organizations.invitations.accept({ token: expiring.token }))).toMatchObject({
      status: 410,
      code: 'invitation_expired',
    });
    const revoked = await t.backend.organizations.invitations.create(orgId, { email: invitee.user.email });
    await t.backend.organizations.invitations.discard(orgId, revoked.invitation.id);
    expect(await failure(invitee.client.organizations.invitations.accept({ token: revoked.token }))).toMatchObject({
      status: 410,
      code: 'invitation_revoked',
    });
    expect(await failure(invitee.client.organizations.invitations.accept({ token: 'x'.repeat(52) }))).toMatchObject({
      status: 404,
      code: 'not_found',
    });
    expect((await t.backend.organizations.members.list(orgId)).data).toHaveLength(1);
  });

  it('is re-checked against the inviter: one demoted since cannot bring in an admin (403)', async () => {
    const { orgId, members } = await team(['admin']);
    const admin = members[0]!;
    const invitee = await signedInClient(t);
    const { token } = await admin.client.organizations.invitations.create({
      organizationId: orgId,
      email: invitee.user.email,
      role: 'admin',
      sendEmail: false,
    });
    const membership = (await t.backend.organizations.members.list(orgId)).data.find((m) => m.userId === admin.user.id)!;
    await t.backend.organizations.members.update(orgId, membership.id, { role: 'member' });
    expect(await failure(invitee.client.organizations.invitations.accept({ token }))).toMatchObject({ status: 403, code: 'forbidden' });
  });

  it('an org API token cannot accept (403): accept is bound to a user', async () => {
    const bad = await fetch(`${t.url}/v1/organizations/invitations/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer gh_test_key:secret' },
      body: JSON.stringify({ token: 'x' }),
    });
    // Until org tokens exist, such a bearer is no credential at all.
    expect([401, 403]).toContain(bad.status);
  });
});

describe('invitations (frontend)', () => {
  it('creates (emailed by default), lists, resends and revokes with members:manage', async () => {
    const { owner, orgId } = await team();
    const email = t.email('fe');
    const created = await owner.client.organizations.invitations.create({ organizationId: orgId, email });
    expect(created.invitation).toMatchObject({
      inviter: { id: owner.user.id, email: owner.user.email, firstName: 'Olga' },
      inviterRoles: [{ key: 'owner' }],
    });
    const [mail] = await outbox(email);
    expect(mail?.text).toContain(created.acceptUrl);
    expect(mail?.subject).toBe('You are invited to join Team');
    const quiet = await owner.client.organizations.invitations.create({ organizationId: orgId, email: t.email(), sendEmail: false });
    expect(await outbox(quiet.invitation.email)).toEqual([]);
    const listed = await owner.client.organizations.invitations.list({ organizationId: orgId });
    expect(listed.invitations.map((i) => i.id)).toEqual([quiet.invitation.id, created.invitation.id]);
    const resent = await owner.client.organizations.invitations.resend({ organizationId: orgId, id: created.invitation.id });
    expect(await outbox(email)).toHaveLength(2);
    expect(resent.token).not.toBe(created.token);
    const revoked = await owner.client.organizations.invitations.revoke({ organizationId: orgId, id: created.invitation.id });
    expect(revoked).toMatchObject({ ok: true, invitation: { status: 'revoked' } });
    expect(await owner.client.organizations.invitations.revoke({ organizationId: orgId, id: created.invitation.id })).toEqual(revoked);
    const all = await owner.client.organizations.invitations.list({ organizationId: orgId, includeDeleted: true, limit: 1 });
    expect(all).toMatchObject({ hasMore: true });
  });

  it('permissions: member 403, non-member 404; no escalation (admin cannot invite an owner)', async () => {
    const { orgId, workspaceId, members } = await team(['admin', 'member']);
    const [admin, member] = members as [SignedInClient, SignedInClient];
    const outsider = await signedInClient(t);
    const input = { organizationId: orgId, email: t.email(), sendEmail: false };
    expect(await failure(member.client.organizations.invitations.create(input))).toMatchObject({ status: 403, code: 'forbidden' });
    expect(await failure(member.client.organizations.invitations.list({ organizationId: orgId }))).toMatchObject({ status: 403 });
    expect(await failure(outsider.client.organizations.invitations.create(input))).toMatchObject({ status: 404, code: 'not_found' });
    expect(await failure(admin.client.organizations.invitations.create({ ...input, role: 'owner' }))).toMatchObject({
      status: 403,
      code: 'forbidden',
    });
    await admin.client.organizations.invitations.create({ ...input, role: 'admin', workspaceId, workspaceRole: 'admin' });
    expect(await actions(orgId)).toContain('authz.denied');
  });

  it('a workspace invitation needs workspace:manage there', async () => {
    const { orgId, workspaceId } = await team();
    const manager = await signedInClient(t);
    const billing = await t.backend.organizations.roles.create(orgId, {
      name: 'Inviter',
      permissions: ['org:view', 'members:view', 'workspaces:view', 'members:manage'],
    });
    await t.backend.organizations.members.add(orgId, { userId: manager.user.id, roleId: billing.id });
    const input = { organizationId: orgId, email: t.email(), sendEmail: false };
    await manager.client.organizations.invitations.create(input);
    expect(await failure(manager.client.organizations.invitations.create({ ...input, email: t.email(), workspaceId }))).toMatchObject({
      code: 'forbidden',
    });
  });

  it('inspect shows the accept page what a token is for, without sign-in', async () => {
    const { owner, orgId } = await team();
    const email = t.email();
    const { token, invitation } = await owner.client.organizations.invitations.create({ organizationId: orgId, email, sendEmail: false });
    const { invitation: seen } = await t.client().invitations.inspect({ token });
    expect(seen).toEqual({
      organization: { id: orgId, name: 'Team' },
      email,
      inviter: invitation.inviter,
      expiresAt: invitation.expiresAt,
      status: 'pending',
    });
    expect((await failure(t.client().invitations.inspect({ token: `${token}x` }))).code).toBe('not_found');
  });
});

describe('invitation rate limits', () => {
  it('limits invitation emails per inviter and per organization (429 with Retry-After)', async () => {
    const limited = await startTestGatehouse({ env: { RATE_LIMITS: 'invitationInviter=2/3600,invitationOrg=3/3600' } });
    try {
      const owner = await signedInClient(limited);
      const { organization } = await owner.client.organizations.create({ name: 'Spam' });
      const invite = (c: SignedInClient['client']) =>
        c.organizations.invitations.create({ organizationId: organization.id, email: limited.email() });
      await invite(owner.client);
      await invite(owner.client);
      const third = await failure(invite(owner.client));
      expect(third).toMatchObject({ status: 429, code: 'rate_limited' });
      // Without email, nothing is counted.
      await owner.client.organizations.invitations.create({ organizationId: organization.id, email: limited.email(), sendEmail: false });
      const admin = await signedInClient(limited);
      await limited.backend.organizations.members.add(organization.id, { userId: admin.user.id, role: 'admin' });
      await invite(admin.client);
      expect(await failure(invite(admin.client))).toMatchObject({ code: 'rate_limited' });
    } finally {
      await limited.close();
    }
  });
});
