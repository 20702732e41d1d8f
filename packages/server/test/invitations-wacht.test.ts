import { WachtInvitationsResponse } from '@gatehouse/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawPost, sessionCookieOf, signedInClient } from './auth-helpers.js';
import { startTestGatehouse, type TestGatehouse } from './harness.js';
import { startTestSmtp, type TestSmtp } from './smtp.js';

let t: TestGatehouse;
let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startTestSmtp();
  t = await startTestGatehouse({ env: { SMTP_URL: smtp.url } });
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

async function view(orgId: string, headers: Record<string, string>) {
  const response = await fetch(`${t.url}/v1/organizations/${orgId}/invitations`, { headers });
  const body = await response.json();
  // The answer always parses as the route's own shape.
  WachtInvitationsResponse.parse(body);
  return { status: response.status, body };
}

describe("seed 002's invitations route", () => {
  it('answers in the seed shape with Bearer, the __session cookie or the session_id cookie; never a token', async () => {
    const owner = await signedInClient(t, { firstName: 'Olga' });
    const { organization } = await owner.client.organizations.create({ name: 'Wacht Co' });
    const { workspace } = await owner.client.workspaces.create({ organizationId: organization.id, name: 'Main' });
    const created = await owner.client.organizations.invitations.create({
      organizationId: organization.id,
      email: t.email(),
      role: 'admin',
      workspaceId: workspace.id,
      sendEmail: false,
    });
    const bearer = await view(organization.id, { authorization: `Bearer ${owner.sessionToken}` });
    expect(bearer.status).toBe(200);
    expect(bearer.body).toMatchObject({ status: 200, message: '', errors: null, session: { id: expect.stringMatching(/^ses_/) } });
    expect(Object.keys(bearer.body.session).sort()).toEqual(['created_at', 'id', 'updated_at']);
    const [item] = bearer.body.data;
    expect(Object.keys(item).sort()).toEqual(
      [
        'id',
        'organization_id',
        'email',
        'status',
        'expires_at',
        'created_at',
        'updated_at',
        'initial_organization_role',
        'initial_workspace_role',
        'workspace',
        'inviter',
        'inviter_roles',
      ].sort(),
    );
    expect(item).toMatchObject({
      id: created.invitation.id,
      organization_id: organization.id,
      status: 'pending',
      initial_organization_role: { id: 'role_admin', organization_id: organization.id, name: 'Admin', is_system_role: true },
      initial_workspace_role: { id: 'role_ws_member', name: 'Member', permissions: ['workspace:view'] },
      workspace: { id: workspace.id, name: 'Main' },
      inviter: { id: owner.user.id, first_name: 'Olga', last_name: null, email: owner.user.email },
      inviter_roles: [{ id: 'role_owner', name: 'Owner', is_system_role: true }],
    });
    expect(JSON.stringify(bearer.body)).not.toContain(created.token);
    expect(item).not.toHaveProperty('token');

    const cookie = await view(organization.id, { cookie: `session_id=${owner.sessionToken}` });
    expect(cookie.body.data).toEqual(bearer.body.data);
    const signIn = await rawPost(t, 'auth/sign-in', { email: owner.user.email, password: owner.password });
    const sessionCookie = sessionCookieOf(signIn.headers)!;
    expect((await view(organization.id, { cookie: sessionCookie })).body.data).toEqual(bearer.body.data);
  });

  it('upper-cases error codes: UNAUTHENTICATED, NOT_FOUND, FORBIDDEN', async () => {
    const owner = await signedInClient(t);
    const { organization } = await owner.client.organizations.create({ name: 'Errors' });
    const member = await signedInClient(t);
    await t.backend.organizations.members.add(organization.id, { userId: member.user.id });
    const outsider = await signedInClient(t);
    expect(await view(organization.id, {})).toMatchObject({
      status: 401,
      body: { status: 401, data: null, errors: [{ code: 'UNAUTHENTICATED' }] },
    });
    expect(await view(organization.id, { cookie: 'session_id=ses_bogus.secret' })).toMatchObject({ status: 401 });
    expect(await view(organization.id, { authorization: `Bearer ${outsider.sessionToken}` })).toMatchObject({
      status: 404,
      body: { errors: [{ code: 'NOT_FOUND' }] },
    });
    expect(await view(organization.id, { authorization: `Bearer ${member.sessionToken}` })).toMatchObject({
      status: 403,
      body: { errors: [{ code: 'FORBIDDEN' }], session: { id: expect.stringMatching(/^ses_/) } },
    });
  });
});

describe('the invitation email', () => {
  it('is delivered over SMTP, and the token in its link is accepted', async () => {
    const owner = await signedInClient(t, { firstName: 'Olga' });
    const { organization } = await owner.client.organizations.create({ name: 'Mailed' });
    const invitee = await signedInClient(t);
    await owner.client.organizations.invitations.create({ organizationId: organization.id, email: invitee.user.email });
    const mail = await smtp.waitForMessage(invitee.user.email);
    expect(mail.subject).toBe('You are invited to join Mailed');
    expect(mail.text).toContain('Olga invited you to join Mailed');
    const link = /(http\S+#token=(\S+))/.exec(mail.text);
    expect(link?.[1]).toMatch(/^http:\/\/localhost:8787\/playground\/accept#token=/);
    const accepted = await invitee.client.organizations.invitations.accept({ token: link![2]! });
    expect(accepted).toMatchObject({ organizationId: organization.id, role: 'member', alreadyMember: false });
  });
});
