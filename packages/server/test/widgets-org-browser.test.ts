import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@gatehouse/sdk';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPlayground } from '../../../apps/playground/build.mjs';
import { codeIn, DEFAULT_PASSWORD } from './auth-helpers.js';
import { inspect, newPage, seriousViolations } from './browser-helpers.js';
import { freePort, startTestGatehouse, type TestGatehouse } from './harness.js';
import { onCi } from './services.js';

/**
 * The organization widgets in Debian's Chromium, on the playground the server serves, talking to
 * it through the SDK's connector at /playground/api: an owner signs up, creates an organization,
 * invites a member (who accepts in a second browser), lets a third user join by code, mints an API
 * token, changes a role and removes a member, and meets the last-owner refusal; a member without
 * permission sees no admin controls. axe-core on every widget in both themes; screenshots in
 * docs/screenshots (with UPDATE_SCREENSHOTS=1).
 */
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available) {
  const reason = `Chromium is not installed at ${CHROMIUM} (apt-get install chromium)`;
  if (onCi) throw new Error(`${reason}, and CI=true requires it.`);
  console.warn(`[skipped] organization widget browser tests: ${reason}`);
}

const SLOW = 300_000;
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS
  ? fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url))
  : `${mkdtempSync(join(tmpdir(), 'gatehouse-org-screenshots-'))}/`;

let t: TestGatehouse;
let browser: Browser;
let origin: string;

const panel = (page: Page) => page.locator('.gh-root.gh-panel');
const card = (page: Page) => page.locator('.gh-root.gh-card');
const switcher = (page: Page) => page.getByRole('button', { name: /^Switch organization/ });
const alertText = (page: Page) => page.getByRole('alert').first().textContent();

/** Go to an organization section of the playground and wait for its panel to finish loading. */
async function openSection(page: Page, section: string, heading: string): Promise<void> {
  await page.goto(`${origin}/playground/organization/${section}`);
  await page.getByRole('heading', { name: heading }).waitFor();
  await expect.poll(() => page.locator('.gh-panel [aria-busy="true"]').count()).toBe(0);
  // The screenshots show the widget alone, not the playground's section list beside it.
  await page.evaluate(() => document.querySelector<HTMLElement>('.pg-sections')?.style.setProperty('visibility', 'hidden'));
}

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto(`${origin}/playground/sign-in`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(DEFAULT_PASSWORD);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { name: /^Welcome/ }).waitFor();
}

describe.skipIf(!available)('organization widgets in headless Chromium', () => {
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const port = await freePort();
    origin = `http://localhost:${port}`;
    [t] = await Promise.all([startTestGatehouse({ port, env: { PUBLIC_URL: origin } }), buildPlayground()]);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  }, SLOW);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  }, SLOW);

  it(
    'runs an organization from sign-up to invitation, join code, API token, role change and removal',
    async () => {
      // The owner signs up with the emailed code and creates an organization.
      const owner = await newPage(browser);
      const ownerEmail = t.email('owner');
      await owner.goto(`${origin}/playground/sign-up`);
      await owner.getByLabel('First name').fill('Ada');
      await owner.getByLabel('Last name').fill('Lovelace');
      await owner.getByLabel('Email address').fill(ownerEmail);
      await owner.getByLabel('Password').fill(DEFAULT_PASSWORD);
      await owner.getByRole('button', { name: 'Continue' }).click();
      await owner.getByRole('heading', { name: 'Check your email' }).waitFor();
      const signUpMail = (await t.backend.outbox.list({ to: ownerEmail })).data[0] as { text: string };
      await owner.getByLabel('Verification code').fill(codeIn(signUpMail.text));
      await owner.getByRole('button', { name: 'Verify email' }).click();
      await owner.getByRole('heading', { name: 'Welcome, Ada' }).waitFor();
      // Every call went through the connector: the session cookie is this origin's, and /v1 was never called directly.
      const direct: string[] = [];
      owner.on('request', (r) => {
        if (new URL(r.url()).pathname.startsWith('/v1/')) direct.push(r.url());
      });
      await owner.goto(`${origin}/playground/create-organization`);
      await owner.getByLabel('Organization name').fill('Acme Inc.');
      await owner.getByRole('button', { name: 'Create organization' }).click();
      await expect.poll(() => switcher(owner).getAttribute('aria-label')).toBe('Switch organization, current: Acme Inc.');
      const orgId = (await t.backend.organizations.list({ limit: 100 })).data.find((o) => o.name === 'Acme Inc.')?.id as string;
      const workspace = await t.backend.organizations.createWorkspace(orgId, { name: 'Research' });

      // Workspaces in the switcher: choose one, and the trigger names it.
      await owner.goto(`${origin}/playground/organization/settings`);
      await switcher(owner).click();
      await owner.getByRole('menuitemradio', { name: /Research/ }).waitFor();
      expect(await seriousViolations(owner)).toEqual([]);
      await owner.getByRole('menuitemradio', { name: /Research/ }).click();
      await expect.poll(() => switcher(owner).getAttribute('aria-label')).toBe('Switch organization, current: Acme Inc. / Research');
      // Shot across the header, with the page below hidden, as the switcher's other screenshots are.
      await owner.evaluate(() => document.querySelector<HTMLElement>('.pg-main')?.style.setProperty('visibility', 'hidden'));
      await inspect(
        owner,
        SCREENSHOTS,
        'organization-switcher-workspaces',
        () => [owner.locator('.pg-header'), owner.getByRole('menu')],
        async () => {
          await switcher(owner).click();
          await owner.getByRole('menu').waitFor();
        },
      );

      // InviteMember: Bob, as a member of the organization and of the Research workspace.
      const bobEmail = t.email('bob');
      await t.backend.users.create({ email: bobEmail, password: DEFAULT_PASSWORD, firstName: 'Bob', lastName: 'Builder' });
      await openSection(owner, 'invite', 'Invite a member');
      await owner.getByLabel('Email address').fill(bobEmail);
      await owner.getByLabel('Role', { exact: true }).selectOption({ label: 'Member' });
      await owner.getByLabel('Workspace', { exact: true }).selectOption({ label: 'Research' });
      await owner.getByLabel('Workspace role').selectOption({ label: 'Admin' });
      await owner.getByLabel('Expires after').selectOption({ label: '7 days' });
      await inspect(owner, SCREENSHOTS, 'invite-member', () => [panel(owner)]);
      await owner.getByRole('button', { name: 'Send invitation' }).click();
      await expect.poll(() => owner.getByRole('status').filter({ hasText: 'Invitation sent' }).count()).toBe(1);
      const invitationMail = (await t.backend.outbox.list({ to: bobEmail, kind: 'invitation' })).data[0] as { text: string };
      const link = invitationMail.text.match(/https?:\/\/\S+#token=\S+/)?.[0] as string;
      expect(link.startsWith(`${origin}/playground/accept#token=`)).toBe(true);

      // A third user, Carol, signed in, opens Bob's link: the wrong account is explained.
      const carolEmail = t.email('carol');
      await t.backend.users.create({ email: carolEmail, password: DEFAULT_PASSWORD, firstName: 'Carol', lastName: 'Shaw' });
      const carol = await newPage(browser);
      await signIn(carol, carolEmail);
      await carol.goto(link);
      await carol.getByRole('heading', { name: 'Join Acme Inc.' }).waitFor();
      await expect.poll(() => alertText(carol)).toContain(`this invitation is for ${bobEmail}`);
      expect(await carol.getByRole('button', { name: 'Accept invitation' }).count()).toBe(0);

      // AcceptInvitation in a second browser: signed out, it offers sign-in in place and then continues.
      const bob = await newPage(browser);
      await bob.goto(link);
      await bob.getByRole('heading', { name: 'Join Acme Inc.' }).waitFor();
      await inspect(bob, SCREENSHOTS, 'accept-invitation', () => [card(bob)]);
      await bob.getByRole('button', { name: 'Sign in to accept' }).click();
      await bob.getByRole('heading', { name: 'Sign in to join Acme Inc.' }).waitFor();
      await bob.getByLabel('Email address').fill(bobEmail);
      await bob.getByLabel('Password').fill(DEFAULT_PASSWORD);
      await bob.getByRole('button', { name: 'Continue' }).click();
      await bob.getByRole('button', { name: 'Accept invitation' }).waitFor();
      await inspect(bob, SCREENSHOTS, 'accept-invitation-signed-in', () => [card(bob)]);
      await bob.getByRole('button', { name: 'Accept invitation' }).click();
      await bob.getByRole('heading', { name: 'Welcome to Acme Inc.' }).waitFor();
      await expect.poll(() => switcher(bob).getAttribute('aria-label')).toContain('current: Acme Inc.');
      const workspaceMembers = await t.backend.workspaces.members.list(workspace.id);
      expect(workspaceMembers.data.map((m) => [m.user.email, m.role])).toContainEqual([bobEmail, 'admin']);

      // InvitationList: Bob's is accepted; a second one is pending, is resent and revoked.
      await openSection(owner, 'invite', 'Invite a member');
      const daveEmail = t.email('dave');
      await owner.getByLabel('Email address').fill(daveEmail);
      await owner.getByRole('button', { name: 'Send invitation' }).click();
      await expect.poll(() => owner.getByRole('status').filter({ hasText: 'Invitation sent' }).count()).toBe(1);
      await openSection(owner, 'invitations', 'Invitations');
      const rows = owner.getByRole('list', { name: 'Invitations' }).getByRole('listitem');
      await expect.poll(() => rows.count()).toBe(2);
      await expect.poll(() => rows.filter({ hasText: bobEmail }).textContent()).toContain('Accepted');
      await inspect(owner, SCREENSHOTS, 'invitation-list', () => [panel(owner)]);
      await owner.getByRole('button', { name: `Resend the invitation to ${daveEmail}` }).click();
      await expect
        .poll(() =>
          owner
            .getByRole('status')
            .filter({ hasText: `A new link went to ${daveEmail}` })
            .count(),
        )
        .toBe(1);
      expect((await t.backend.outbox.list({ to: daveEmail, kind: 'invitation' })).data).toHaveLength(2);
      await owner.getByRole('button', { name: `Revoke the invitation to ${daveEmail}` }).click();
      await owner.getByRole('alertdialog', { name: 'Revoke this invitation?' }).waitFor();
      expect(await seriousViolations(owner)).toEqual([]);
      await owner.getByRole('button', { name: 'Revoke invitation' }).click();
      await expect.poll(() => rows.filter({ hasText: daveEmail }).textContent()).toContain('Revoked');

      // JoinCodes: the owner creates a code, shown once; Carol joins with it (JoinOrganization).
      await openSection(owner, 'join-codes', 'Join codes');
      await owner.getByLabel('Uses').fill('5');
      await owner.getByRole('button', { name: 'Create code' }).click();
      const secret = owner.locator('.gh-secret-value');
      await secret.waitFor();
      const code = (await secret.textContent()) as string;
      expect(code.length).toBeGreaterThan(6);
      await expect.poll(() => owner.getByRole('list', { name: 'Join codes' }).getByRole('listitem').count()).toBe(1);
      await inspect(owner, SCREENSHOTS, 'join-codes', () => [panel(owner)]);

      await carol.goto(`${origin}/playground/join`);
      await carol.getByLabel('Join code').fill('not-a-code');
      await carol.getByRole('button', { name: 'Join organization' }).click();
      await expect.poll(() => alertText(carol)).toContain('That code doesn’t work');
      await carol.getByLabel('Join code').fill(code);
      await inspect(carol, SCREENSHOTS, 'join-organization', () => [card(carol)]);
      await carol.getByRole('button', { name: 'Join organization' }).click();
      await expect.poll(() => carol.getByRole('status').filter({ hasText: 'You’ve joined Acme Inc.' }).count()).toBe(1);
      await expect.poll(() => switcher(carol).getAttribute('aria-label')).toContain('current: Acme Inc.');

      // Carol is a member: she sees the members, but no role selects, no Remove, no invite form, no tokens.
      await openSection(carol, 'members', 'Members');
      await expect.poll(() => carol.getByRole('list', { name: 'Members' }).getByRole('listitem').count()).toBe(3);
      expect(await carol.getByRole('combobox').count()).toBe(0);
      expect(await carol.getByRole('button', { name: /^Remove/ }).count()).toBe(0);
      expect(await seriousViolations(carol)).toEqual([]);
      await openSection(carol, 'invite', 'Invite a member');
      expect(await carol.getByRole('button', { name: 'Send invitation' }).count()).toBe(0);
      await openSection(carol, 'api-tokens', 'API tokens');
      expect(await carol.getByRole('button', { name: 'Create token' }).count()).toBe(0);
      await openSection(carol, 'join-codes', 'Join codes');
      expect(await carol.getByRole('button', { name: 'Create code' }).count()).toBe(0);
      await openSection(carol, 'settings', 'Organization settings');
      expect(await carol.getByLabel('Organization name').count()).toBe(0);
      expect(await carol.getByRole('button', { name: 'Delete organization' }).count()).toBe(0);
      await openSection(carol, 'roles', 'Roles and permissions');
      expect(await carol.getByRole('button', { name: 'Create role' }).count()).toBe(0);

      // ApiTokens: a live token, its secret shown once (after the password is confirmed, when asked).
      await openSection(owner, 'api-tokens', 'API tokens');
      await owner.getByLabel('Token name').fill('Billing worker');
      await owner.getByRole('button', { name: 'Create token' }).click();
      const tokenSecret = owner.locator('.gh-secret-value');
      const password = owner.getByLabel('Password');
      await expect.poll(async () => (await tokenSecret.count()) + (await password.count())).toBeGreaterThan(0);
      if (await password.count()) {
        await password.fill(DEFAULT_PASSWORD);
        await owner.getByRole('button', { name: 'Create token' }).click();
      }
      await tokenSecret.waitFor();
      const bearer = (await tokenSecret.textContent()) as string;
      expect(bearer).toMatch(/^gh_live_\S+:\S+$/);
      const machine = createClient({ baseUrl: origin, apiToken: bearer });
      expect((await machine.organizations.get({ organizationId: orgId })).organization.name).toBe('Acme Inc.');
      await expect.poll(() => owner.getByRole('list', { name: 'API tokens' }).getByRole('listitem').count()).toBe(1);
      await inspect(owner, SCREENSHOTS, 'api-tokens', () => [panel(owner)]);
      // Shown once: a reload lists the token without its secret.
      await openSection(owner, 'api-tokens', 'API tokens');
      expect(await owner.locator('.gh-secret-value').count()).toBe(0);
      expect(await owner.getByRole('list', { name: 'API tokens' }).textContent()).not.toContain(bearer.split(':')[1]);

      // MemberList: Bob becomes an admin; Carol is removed; the only owner cannot demote herself.
      await openSection(owner, 'members', 'Members');
      await owner.getByLabel('Role of Bob Builder').selectOption({ label: 'Admin' });
      await expect
        .poll(async () => (await t.backend.organizations.members.list(orgId)).data.find((m) => m.user.email === bobEmail)?.role)
        .toBe('admin');
      await inspect(owner, SCREENSHOTS, 'member-list', () => [panel(owner)]);
      // Keyboard only: Enter opens the confirm dialog with the focus inside and a visible ring; Escape closes it and gives the focus back.
      const removeCarol = owner.getByRole('button', { name: 'Remove Carol Shaw' });
      await removeCarol.focus();
      await owner.keyboard.press('Enter');
      await owner.getByRole('alertdialog', { name: 'Remove Carol Shaw?' }).waitFor();
      expect(await owner.evaluate(() => document.activeElement?.closest('[role="alertdialog"]') !== null)).toBe(true);
      await owner.keyboard.press('Tab');
      expect(await owner.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle)).not.toBe('none');
      await owner.keyboard.press('Escape');
      await expect.poll(() => owner.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Remove Carol Shaw');
      const confirmRemoval = async () => {
        await owner.getByRole('button', { name: 'Remove Carol Shaw' }).click();
        await owner.getByRole('alertdialog', { name: 'Remove Carol Shaw?' }).waitFor();
      };
      await inspect(owner, SCREENSHOTS, 'member-list-remove', () => [owner.getByRole('alertdialog')], confirmRemoval);
      await confirmRemoval();
      await owner.getByRole('button', { name: 'Remove member' }).click();
      await expect.poll(() => owner.getByRole('list', { name: 'Members' }).getByRole('listitem').count()).toBe(2);
      expect((await t.backend.organizations.members.list(orgId)).data.map((m) => m.user.email)).not.toContain(carolEmail);
      await owner.getByLabel('Role of Ada Lovelace').selectOption({ label: 'Member' });
      await expect.poll(() => alertText(owner)).toContain('An organization always needs an owner');
      await inspect(owner, SCREENSHOTS, 'member-list-last-owner', () => [panel(owner)]);
      expect((await t.backend.organizations.members.list(orgId)).data.find((m) => m.user.email === ownerEmail)?.role).toBe('owner');

      // RoleMatrix: the owner adds a custom role; Bob, an admin without org:delete, cannot grant it.
      await openSection(owner, 'roles', 'Roles and permissions');
      await inspect(owner, SCREENSHOTS, 'role-matrix', () => [panel(owner)]);
      await owner.getByRole('button', { name: 'Create role' }).click();
      await owner.getByLabel('Role name').fill('Billing manager');
      await owner.getByRole('checkbox', { name: /^org:view/ }).check();
      await owner.getByRole('checkbox', { name: /^members:view/ }).check();
      await inspect(owner, SCREENSHOTS, 'role-matrix-editor', () => [panel(owner)]);
      await owner.getByRole('button', { name: 'Create role' }).click();
      await owner.getByRole('columnheader', { name: /Billing manager/ }).waitFor();

      await openSection(bob, 'roles', 'Roles and permissions');
      await bob.getByRole('button', { name: 'Create role' }).click();
      expect(await bob.getByRole('checkbox', { name: /^org:delete/ }).isDisabled()).toBe(true);
      expect(await bob.getByRole('checkbox', { name: /^members:manage/ }).isDisabled()).toBe(false);
      await bob.getByLabel('Role name').fill('Auditor');
      await bob.getByRole('checkbox', { name: /^audit:view/ }).check();
      await inspect(bob, SCREENSHOTS, 'role-matrix-escalation', () => [panel(bob)]);

      // OrganizationProfile: rename; the only owner is told why she cannot leave; delete asks for the name.
      await openSection(owner, 'settings', 'Organization settings');
      await owner.getByLabel('Organization name').fill('Acme Corporation');
      await owner.getByRole('button', { name: 'Save' }).click();
      await expect.poll(() => switcher(owner).getAttribute('aria-label')).toContain('current: Acme Corporation');
      await inspect(owner, SCREENSHOTS, 'organization-profile', () => [panel(owner)]);
      await owner.getByRole('button', { name: 'Leave organization' }).click();
      await owner.getByRole('alertdialog').getByRole('button', { name: 'Leave organization' }).click();
      await expect.poll(() => owner.getByRole('alertdialog').textContent()).toContain('only owner');
      await owner.keyboard.press('Escape');
      const confirmDelete = owner.getByRole('alertdialog').getByRole('button', { name: 'Delete organization' });
      const askToDelete = async () => {
        await owner.getByRole('button', { name: 'Delete organization' }).click();
        expect(await confirmDelete.isDisabled()).toBe(true);
        await owner.getByRole('alertdialog').getByLabel(/Type/).fill('Acme Corporation');
      };
      await inspect(owner, SCREENSHOTS, 'organization-profile-delete', () => [owner.getByRole('alertdialog')], askToDelete);
      await askToDelete();
      await confirmDelete.click();
      await expect.poll(() => switcher(owner).getAttribute('aria-label')).toBe('Switch organization, current: Ada Lovelace');
      expect((await t.backend.organizations.list({ limit: 100 })).data.find((o) => o.id === orgId)).toBeUndefined();
      expect(direct).toEqual([]);
    },
    SLOW,
  );

  it(
    'explains an expired, a revoked and an unknown invitation link',
    async () => {
      const org = await t.backend.organizations.create({ name: 'Globex' });
      const page = await newPage(browser);
      const revoked = await t.backend.organizations.invitations.create(org.id, { email: t.email('revoked') });
      await t.backend.organizations.invitations.discard(org.id, revoked.invitation.id);
      await page.goto(`${origin}/playground/accept#token=${revoked.token}`);
      await expect.poll(() => alertText(page)).toContain('This invitation was withdrawn');
      expect(await page.getByRole('button', { name: 'Sign in to accept' }).count()).toBe(0);

      const expiring = await t.backend.organizations.invitations.create(org.id, { email: t.email('late'), expiryDays: 1 });
      t.clock.advance(2 * 86_400_000);
      // A new fragment alone would not load the page again.
      await page.goto('about:blank');
      await page.goto(`${origin}/playground/accept#token=${expiring.token}`);
      await expect.poll(() => alertText(page)).toContain('This invitation has expired');

      await page.goto('about:blank');
      await page.goto(`${origin}/playground/accept#token=not-a-real-token`);
      await expect.poll(() => alertText(page)).toContain('This invitation link isn’t valid');
      expect(await seriousViolations(page)).toEqual([]);
      await page.goto('about:blank');
      await page.goto(`${origin}/playground/accept`);
      await expect.poll(() => alertText(page)).toContain('needs the link from your invitation email');
    },
    SLOW,
  );

  it(
    'lets someone new accept an invitation by creating an account in place',
    async () => {
      const org = await t.backend.organizations.create({ name: 'Initech' });
      const email = t.email('newcomer');
      const { token } = await t.backend.organizations.invitations.create(org.id, { email, sendEmail: false });
      const page = await newPage(browser);
      await page.goto(`${origin}/playground/accept#token=${token}`);
      await page.getByRole('heading', { name: 'Join Initech' }).waitFor();
      await page.getByRole('button', { name: 'Create an account' }).click();
      await page.getByRole('heading', { name: 'Create an account to join Initech' }).waitFor();
      await page.getByLabel('Email address').fill(email);
      await page.getByLabel('Password').fill(DEFAULT_PASSWORD);
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('heading', { name: 'Check your email' }).waitFor();
      const mail = (await t.backend.outbox.list({ to: email })).data[0] as { text: string };
      await page.getByLabel('Verification code').fill(codeIn(mail.text));
      await page.getByRole('button', { name: 'Verify email' }).click();
      // Back on the invitation, now signed in as the invited address.
      await page.getByRole('button', { name: 'Accept invitation' }).click();
      await page.getByRole('heading', { name: 'Welcome to Initech' }).waitFor();
      const members = (await t.backend.organizations.members.list(org.id)).data;
      expect(members.map((m) => m.user.email)).toContain(email);
    },
    SLOW,
  );
});
