import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole } from '../../../apps/console/build.mjs';
import { DEFAULT_PASSWORD } from './auth-helpers.js';
import { seriousViolations } from './browser-helpers.js';
import { freePort, startTestGatehouse, type TestGatehouse } from './harness.js';
import { onCi } from './services.js';

/**
 * The admin console in Debian's Chromium, headless, as the server serves it (same origin, its real
 * CSP): an operator signs in with a secret key and manages users, organizations and keys by hand;
 * axe-core on every page; the screenshots in docs/screenshots.
 */
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available) {
  const reason = `Chromium is not installed at ${CHROMIUM} (apt-get install chromium)`;
  if (onCi) throw new Error(`${reason}, and CI=true requires it.`);
  console.warn(`[skipped] console browser tests: ${reason}`);
}

const SLOW = 180_000;
// `UPDATE_SCREENSHOTS=1` refreshes the ones in docs/; otherwise they go to a temporary folder.
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS
  ? fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url))
  : `${mkdtempSync(join(tmpdir(), 'gatehouse-console-screenshots-'))}/`;
const SEED_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

let t: TestGatehouse;
let browser: Browser;
let origin: string;

/** axe on the page as it is now, then a screenshot `console-<name>.png` (full page, or the viewport for a dialog). */
async function inspect(page: Page, name: string, fullPage = true): Promise<void> {
  expect(await seriousViolations(page), name).toEqual([]);
  await page.screenshot({ path: `${SCREENSHOTS}console-${name}.png`, fullPage, animations: 'disabled' });
}

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 860 }, deviceScaleFactor: 2, colorScheme: 'light' });
  const page = await context.newPage();
  page.on('pageerror', (error) => {
    throw error;
  });
  return page;
}

async function signIn(page: Page, key: string): Promise<void> {
  await page.goto(`${origin}/console`);
  await page.getByLabel('Secret key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
}

/** The open dialog's confirm button, clicked, and the dialog gone. */
async function confirm(page: Page, name: string): Promise<void> {
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name }).click();
  await dialog.waitFor({ state: 'detached' });
}

describe.skipIf(!available)('the console in headless Chromium', () => {
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const port = await freePort();
    origin = `http://localhost:${port}`;
    [t] = await Promise.all([startTestGatehouse({ port, env: { PUBLIC_URL: origin } }), buildConsole()]);
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
    'signs in with a key, finds a user, revokes their sessions, resets TOTP; keeps nothing in browser storage',
    async () => {
      const names = [
        ['Ada', 'Lovelace'],
        ['Alan', 'Turing'],
        ['Katherine', 'Johnson'],
        ['Edsger', 'Dijkstra'],
      ];
      for (const [firstName, lastName] of names) {
        await t.backend.users.create({ email: t.email(firstName?.toLowerCase()), firstName, lastName, password: DEFAULT_PASSWORD });
      }
      const email = t.email('grace');
      const grace = await t.backend.users.create({ email, firstName: 'Grace', lastName: 'Hopper', password: DEFAULT_PASSWORD });
      // Two signed-in devices, then an authenticator.
      for (let i = 0; i < 2; i++) {
        const result = await t.client({ tokenTransport: 'header' }).auth.signIn({ email, password: DEFAULT_PASSWORD });
        expect(result.status).toBe('complete');
      }
      await t.backend.users.mfa.createAuthenticator(grace.id, { secret: SEED_SECRET });
      await t.backend.users.update(grace.id, { publicMetadata: { plan: 'enterprise' }, privateMetadata: { crm: 'acct_1842' } });
      expect((await t.backend.users.sessions.list(grace.id)).data).toHaveLength(2);

      const page = await newPage();
      await page.goto(`${origin}/console`);
      await page.getByRole('heading', { name: 'Sign in to the console' }).waitFor();
      await inspect(page, 'sign-in');

      // A wrong key: refused, with the reason next to the field.
      await page.getByLabel('Secret key').fill('sk_live_not-a-key');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(() => page.getByText('This key is not valid or was revoked.').count()).toBe(1);

      await page.getByLabel('Secret key').fill(t.secretKey);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
      await inspect(page, 'users');

      // The session is the HttpOnly cookie; the page keeps nothing in storage, and scripts cannot read the cookie.
      expect(await page.evaluate(() => [localStorage.length, sessionStorage.length, document.cookie])).toEqual([0, 0, '']);
      // A request with the cookie but without the CSRF proof (what a forged or injected request would be) is refused.
      expect(await page.evaluate(() => fetch('/console/api/users').then((r) => r.status))).toBe(403);

      await page.getByRole('searchbox', { name: 'Search users' }).fill('grace');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByRole('table', { name: 'Users' }).getByRole('row').count()).toBe(2);
      await page
        .getByRole('link', { name: /Grace Hopper/ })
        .first()
        .click();
      await page.getByRole('heading', { name: 'Grace Hopper', level: 1 }).waitFor();
      await page.getByText('"enterprise"').waitFor();

      // A second address, made primary after confirming.
      const work = t.email('grace.work');
      await page.getByRole('button', { name: 'Add email' }).click();
      await page.getByRole('dialog').getByLabel('Email address').fill(work);
      await page.getByRole('dialog').getByRole('button', { name: 'Add email' }).click();
      const workRow = page.getByRole('table', { name: 'Emails and phones' }).getByRole('row', { name: new RegExp(work) });
      await workRow.getByRole('button', { name: 'Make primary' }).click();
      await confirm(page, 'Make primary');
      await expect.poll(async () => (await t.backend.users.get(grace.id)).email).toBe(work);
      await workRow.getByText('Primary').waitFor();
      await inspect(page, 'user');

      // Revoke every session, after confirming.
      await page.getByRole('button', { name: 'Revoke all' }).click();
      await inspect(page, 'confirm');
      await confirm(page, 'Revoke all sessions');
      await expect.poll(async () => (await t.backend.users.sessions.list(grace.id)).data.length).toBe(0);

      // Reset the authenticator.
      await page.getByRole('button', { name: 'Reset TOTP' }).click();
      await confirm(page, 'Reset TOTP');
      await expect.poll(async () => (await t.backend.users.get(grace.id)).totpEnabled).toBe(false);
      await page.getByRole('button', { name: 'Reset TOTP' }).waitFor({ state: 'detached' });

      // A reload keeps the session: the page gets its CSRF proof back from the server.
      await page.reload();
      await page.getByRole('heading', { name: 'Grace Hopper', level: 1 }).waitFor();

      // 31 minutes idle: the next call finds the session ended, and the console asks for the key again.
      t.clock.advance(31 * 60 * 1000);
      await page.getByRole('link', { name: 'Organizations' }).click();
      await page.getByRole('heading', { name: 'Sign in to the console' }).waitFor();
      await page.getByText('Your console session has ended. Sign in again.').waitFor();
    },
    SLOW,
  );

  it(
    'creates an organization, adds a member, changes their role, reads the audit event, rotates the signing key, signs out',
    async () => {
      const owner = await t.backend.users.create({ email: t.email('owner'), firstName: 'Olive', lastName: 'Owner' });
      const memberEmail = t.email('member');
      const member = await t.backend.users.create({ email: memberEmail, firstName: 'Margaret', lastName: 'Hamilton' });
      for (const name of ['Globex', 'Initech', 'Umbrella Health', 'Stark Industries']) {
        await t.backend.organizations.create({ name, createdBy: owner.id });
      }
      const page = await newPage();
      await signIn(page, t.secretKey);

      await page.getByRole('link', { name: 'Organizations' }).click();
      await page.getByRole('heading', { name: 'Organizations', level: 1 }).waitFor();
      await page.getByRole('table', { name: 'Organizations' }).waitFor();
      await inspect(page, 'organizations');
      await page.getByRole('button', { name: 'Create organization' }).click();
      const dialog = page.getByRole('dialog', { name: 'Create an organization' });
      await dialog.getByLabel('Name').fill('Apollo Guidance');
      await dialog.getByLabel('First owner').fill(owner.email as string);
      await inspect(page, 'organization-create');
      await dialog.getByRole('button', { name: 'Create organization' }).click();
      await page.getByRole('heading', { name: 'Apollo Guidance', level: 1 }).waitFor();

      await page.getByRole('button', { name: 'Add member' }).click();
      const add = page.getByRole('dialog', { name: 'Add a member' });
      await add.getByLabel('User').fill(memberEmail);
      await add.getByRole('button', { name: 'Add member' }).click();
      await add.waitFor({ state: 'detached' });
      const row = page.getByRole('row', { name: /Margaret Hamilton/ });
      await row.waitFor();

      // The last owner cannot be removed: the refusal is explained, with the API's message and request id.
      await page
        .getByRole('row', { name: /Olive Owner/ })
        .getByRole('button', { name: 'Remove' })
        .click();
      await page.getByRole('dialog').getByRole('button', { name: 'Remove member' }).click();
      await page.getByText('An organization must keep at least one owner.').first().waitFor();
      await page.getByText(/Request id req_/).waitFor();
      await inspect(page, 'last-owner');
      await page.keyboard.press('Escape');

      await row.getByRole('button', { name: 'Change role' }).click();
      const change = page.getByRole('dialog');
      await change.getByLabel('Role').selectOption('admin');
      await change.getByRole('button', { name: 'Save role' }).click();
      await change.waitFor({ state: 'detached' });
      await expect.poll(() => row.textContent()).toContain('Admin');
      await inspect(page, 'organization');
      const [orgId] = page.url().split('/organizations/')[1]?.split('/') ?? [];
      const members = await t.backend.organizations.members.list(orgId as string);
      expect(members.data.find((m) => m.userId === member.id)?.role).toBe('admin');

      await page.getByRole('tab', { name: 'Roles' }).click();
      await page.getByRole('table', { name: 'Permission catalog' }).waitFor();
      await inspect(page, 'organization-roles');

      await page.getByRole('tab', { name: 'Audit log' }).click();
      await page.getByLabel('Action').fill('member.role_changed');
      await page.getByRole('button', { name: 'Filter' }).click();
      const events = page.getByRole('table', { name: 'Audit events' });
      await expect.poll(() => events.getByRole('row').count()).toBe(2);
      expect(await events.textContent()).toContain('member.role_changed');
      expect(await events.textContent()).toContain('"admin"');
      await inspect(page, 'audit-log');

      // Invitations, join codes, API tokens and workspaces: each made from its tab, its one-time secret shown.
      await page.getByRole('tab', { name: 'Invitations' }).click();
      await page.getByRole('button', { name: 'Invite' }).click();
      const invite = page.getByRole('dialog', { name: 'Invite by email' });
      const inviteeEmail = t.email('invitee');
      await invite.getByLabel('Email address').fill(inviteeEmail);
      await invite.getByRole('button', { name: 'Create invitation' }).click();
      await invite.getByText('/playground/accept').waitFor();
      await invite.getByRole('button', { name: 'Done' }).click();
      await page.getByRole('table', { name: 'Invitations' }).getByText(inviteeEmail).waitFor();
      await page.getByRole('combobox').selectOption('accepted');
      await page.getByRole('table', { name: 'Invitations' }).getByText('No invitations.').waitFor();
      await page.getByRole('combobox').selectOption('pending');
      await page.getByRole('table', { name: 'Invitations' }).getByText(inviteeEmail).waitFor();

      await page.getByRole('tab', { name: 'Join codes' }).click();
      await page.getByRole('button', { name: 'Create join code' }).click();
      await page.getByRole('dialog').getByLabel('Most uses').fill('5');
      await page.getByRole('dialog').getByRole('button', { name: 'Create code' }).click();
      await page
        .getByRole('dialog')
        .getByText(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){5}$/)
        .waitFor();
      await page.getByRole('dialog').getByRole('button', { name: 'Done' }).click();
      await page.getByRole('table', { name: 'Join codes' }).getByText('0 / 5').waitFor();

      await page.getByRole('tab', { name: 'API tokens' }).click();
      await page.getByRole('button', { name: 'Create token' }).click();
      await page.getByRole('dialog').getByLabel('Name').fill('Reporting');
      await page.getByRole('dialog').getByRole('button', { name: 'Create token' }).click();
      await page
        .getByRole('dialog')
        .getByText(/^gh_live_\S+:\S+$/)
        .waitFor();
      await page.getByRole('dialog').getByRole('button', { name: 'Done' }).click();
      await page.getByRole('table', { name: 'API tokens' }).getByText('Reporting').waitFor();

      await page.getByRole('tab', { name: 'Workspaces' }).click();
      await page.getByRole('button', { name: 'Create workspace' }).click();
      await page.getByRole('dialog').getByLabel('Name').fill('Flight software');
      await page.getByRole('dialog').getByRole('button', { name: 'Create workspace' }).click();
      await page.getByRole('table', { name: 'Workspaces' }).getByText('Flight software').waitFor();
      await page.getByRole('button', { name: 'Members', exact: true }).click();
      await page.getByRole('table', { name: 'Workspace members' }).waitFor();

      for (const tab of ['Invitations', 'Join codes', 'API tokens', 'Workspaces', 'Settings']) {
        await page.getByRole('tab', { name: tab }).click();
        await page.getByRole('tab', { name: tab, selected: true }).waitFor();
        await page.getByRole('heading', { name: tab === 'Settings' ? 'Settings' : tab, level: 2 }).waitFor();
        expect(await seriousViolations(page), tab).toEqual([]);
      }

      // Deleting the owner is refused while they are the last owner, and the console says why and where.
      await page.goto(`${origin}/console/users/${owner.id}`);
      await page.getByRole('heading', { name: 'Olive Owner', level: 1 }).waitFor();
      await page.getByRole('button', { name: 'Delete user' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete user' }).click();
      await page.getByText('This user is the last owner of an organization.').waitFor();
      expect(await page.getByRole('dialog').getByRole('link').count()).toBe(5);
      await page.keyboard.press('Escape');
      expect((await t.backend.users.get(owner.id)).id).toBe(owner.id);

      // Something on every list of the instance page: a stored key, a first signing key, a sent email.
      await t.backend.keys.create({ name: 'Billing service' });
      await t.backend.signingKeys.rotate();
      await t.backend.organizations.invitations.create(orgId as string, { email: t.email('invitee'), sendEmail: true });
      await page.getByRole('link', { name: 'Instance' }).click();
      await page.getByRole('heading', { name: 'Instance', level: 1 }).waitFor();
      const before = (await t.backend.signingKeys.list()).data.find((k) => k.status === 'active')?.id;
      await page.getByRole('button', { name: 'Rotate signing key' }).click();
      await confirm(page, 'Rotate');
      await expect
        .poll(async () => {
          const active = (await t.backend.signingKeys.list()).data.find((k) => k.status === 'active')?.id;
          return Boolean(active && active !== before);
        })
        .toBe(true);
      const activeId = (await t.backend.signingKeys.list()).data.find((k) => k.status === 'active')?.id as string;
      await page.getByRole('table', { name: 'Signing keys' }).getByText(activeId).waitFor();
      await inspect(page, 'instance');
      // The retired key can be revoked at once (say, it leaked): out of the JWKS, its tokens refused.
      await page
        .getByRole('table', { name: 'Signing keys' })
        .getByRole('row')
        .filter({ hasText: before as string })
        .getByRole('button', { name: 'Revoke' })
        .click();
      await confirm(page, 'Revoke key');
      await expect
        .poll(async () => (await t.backend.signingKeys.list()).data.find((k) => k.id === before)?.revokedAt ?? null)
        .not.toBeNull();
      await page
        .getByRole('table', { name: 'Signing keys' })
        .getByRole('row')
        .filter({ hasText: before as string })
        .getByText('revoked')
        .waitFor();

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in to the console' }).waitFor();
      await page.reload();
      await page.getByRole('heading', { name: 'Sign in to the console' }).waitFor();
    },
    SLOW,
  );
  it(
    'manages workspace members and roles, edits a custom role with the catalog checklist, adds catalog permissions',
    async () => {
      const owner = await t.backend.users.create({ email: t.email('ws-owner'), firstName: 'Wendy', lastName: 'Owner' });
      const margaret = await t.backend.users.create({ email: t.email('ws-margaret'), firstName: 'Margaret', lastName: 'Hamilton' });
      const ada = await t.backend.users.create({ email: t.email('ws-ada'), firstName: 'Ada', lastName: 'Lovelace' });
      const outsider = await t.backend.users.create({ email: t.email('ws-outsider'), firstName: 'Oscar', lastName: 'Outsider' });
      const org = await t.backend.organizations.create({ name: 'Mission Control', createdBy: owner.id });
      for (const user of [margaret, ada]) await t.backend.organizations.members.add(org.id, { userId: user.id });
      const workspace = await t.backend.organizations.createWorkspace(org.id, { name: 'Flight dynamics' });

      const page = await newPage();
      await signIn(page, t.secretKey);
      await page.goto(`${origin}/console/organizations/${org.id}/workspaces`);
      await page.getByRole('table', { name: 'Workspaces' }).getByText('Flight dynamics').waitFor();
      await page.getByRole('button', { name: 'Members', exact: true }).click();
      const panel = page.getByRole('region', { name: 'Workspace Flight dynamics' });
      await panel.getByRole('table', { name: 'Workspace roles' }).getByText('workspace:manage').waitFor();

      // Add two organization members, picked from a list that holds only organization members.
      const wsMembers = panel.getByRole('table', { name: 'Workspace members' });
      for (const [who, role] of [
        [margaret, 'admin'],
        [ada, 'member'],
      ] as const) {
        await panel.getByRole('button', { name: 'Add workspace member' }).click();
        const add = page.getByRole('dialog', { name: 'Add a member to Flight dynamics' });
        const options = await add.getByLabel('Organization member').locator('option').allTextContents();
        expect(options.some((o) => o.includes('Oscar'))).toBe(false);
        await add.getByLabel('Organization member').selectOption(who.id);
        await add.getByLabel('Workspace role').selectOption(role);
        await add.getByRole('button', { name: 'Add to workspace' }).click();
        await add.waitFor({ state: 'detached' });
        await wsMembers.getByRole('row', { name: new RegExp(who.firstName as string) }).waitFor();
      }
      const members = async () =>
        Object.fromEntries((await t.backend.workspaces.members.list(workspace.id)).data.map((m) => [m.userId, m.role]));
      expect(await members()).toEqual({ [margaret.id]: 'admin', [ada.id]: 'member' });
      expect(outsider.id in (await members())).toBe(false);
      await inspect(page, 'workspace');

      // A custom workspace role from the checklist, given to Ada; deleting it while she holds it is refused with the API's words.
      await panel.getByRole('button', { name: 'Create workspace role' }).click();
      const createWsRole = page.getByRole('dialog', { name: 'Create a workspace role' });
      await createWsRole.getByLabel('Name').fill('Reviewer');
      await createWsRole.getByRole('button', { name: 'Create role' }).click();
      await createWsRole.waitFor({ state: 'detached' });
      await panel
        .getByRole('table', { name: 'Workspace roles' })
        .getByRole('row', { name: /Reviewer/ })
        .waitFor();
      const adaRow = wsMembers.getByRole('row', { name: /Ada Lovelace/ });
      await adaRow.getByRole('button', { name: 'Change role' }).click();
      await page.getByRole('dialog').getByLabel('Workspace role').selectOption('reviewer');
      await page.getByRole('dialog').getByRole('button', { name: 'Save role' }).click();
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      await expect.poll(async () => (await members())[ada.id]).toBe('reviewer');
      await expect.poll(() => adaRow.textContent()).toContain('Reviewer');
      const reviewerRow = panel.getByRole('table', { name: 'Workspace roles' }).getByRole('row', { name: /Reviewer/ });
      await reviewerRow.getByRole('button', { name: 'Delete' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete role' }).click();
      await page
        .getByRole('dialog')
        .getByText(/Request id req_/)
        .waitFor();
      await page.keyboard.press('Escape');
      expect((await t.backend.workspaces.roles.list(workspace.id)).data.map((r) => r.key)).toContain('reviewer');

      // Remove Margaret from the workspace, after confirming: she stays in the organization.
      await wsMembers
        .getByRole('row', { name: /Margaret Hamilton/ })
        .getByRole('button', { name: 'Remove' })
        .click();
      await confirm(page, 'Remove from workspace');
      await expect.poll(async () => Object.keys(await members())).toEqual([ada.id]);
      await wsMembers.getByRole('row', { name: /Margaret Hamilton/ }).waitFor({ state: 'detached' });
      expect((await t.backend.organizations.members.list(org.id)).data.map((m) => m.userId)).toContain(margaret.id);

      // Rename the workspace, then delete a second one after confirming.
      const workspaces = page.getByRole('table', { name: 'Workspaces' });
      await workspaces
        .getByRole('row', { name: /Flight dynamics/ })
        .getByRole('button', { name: 'Rename' })
        .click();
      await page.getByRole('dialog').getByLabel('Name').fill('Guidance');
      await page.getByRole('dialog').getByRole('button', { name: 'Save name' }).click();
      await workspaces.getByText('Guidance').waitFor();
      await page.getByRole('heading', { name: 'Members of Guidance' }).waitFor();
      expect((await t.backend.workspaces.get(workspace.id)).name).toBe('Guidance');
      const spare = await t.backend.organizations.createWorkspace(org.id, { name: 'Spare' });
      await page.reload();
      await workspaces.getByRole('row', { name: /Spare/ }).getByRole('button', { name: 'Delete' }).click();
      await confirm(page, 'Delete workspace');
      await workspaces.getByText('Spare').waitFor({ state: 'detached' });
      await expect(t.backend.workspaces.get(spare.id)).rejects.toMatchObject({ status: 404 });

      // A catalog permission added from the Roles tab; a malformed key is refused with the API's message and nothing is added.
      await page.getByRole('tab', { name: 'Roles' }).click();
      await page.getByRole('button', { name: 'Add permission' }).click();
      const addPermission = page.getByRole('dialog', { name: 'Add a permission to the catalog' });
      await addPermission.getByLabel('Key').fill('Invoices approve');
      await addPermission.getByRole('button', { name: 'Add permission' }).click();
      await addPermission
        .getByText(/resource:action/)
        .first()
        .waitFor();
      await addPermission.getByText(/Request id req_/).waitFor();
      const catalogKeys = async () => (await t.backend.permissions.list()).data.map((p) => p.key);
      expect((await catalogKeys()).some((k) => k.startsWith('invoices'))).toBe(false);
      await addPermission.getByLabel('Key').fill('invoices:approve');
      await addPermission.getByLabel('Description').fill('Approve invoices');
      await addPermission.getByRole('button', { name: 'Add permission' }).click();
      await addPermission.waitFor({ state: 'detached' });
      await page.getByRole('table', { name: 'Permission catalog' }).getByText('invoices:approve').waitFor();
      expect(await catalogKeys()).toContain('invoices:approve');

      // A custom role made from the checklist, then renamed and given one more permission.
      await page.getByRole('button', { name: 'Create role' }).click();
      const createRole = page.getByRole('dialog', { name: 'Create a custom role' });
      await createRole.getByRole('textbox', { name: 'Name', exact: true }).fill('Billing');
      await createRole.getByRole('checkbox', { name: /invoices:approve/ }).check();
      await createRole.getByRole('button', { name: 'Create role' }).click();
      await createRole.waitFor({ state: 'detached' });
      const billingRow = page.getByRole('table', { name: 'Roles' }).getByRole('row', { name: /Billing/ });
      await billingRow.getByText('invoices:approve').waitFor();
      await billingRow.getByRole('button', { name: 'Edit' }).click();
      const edit = page.getByRole('dialog', { name: 'Edit the role “Billing”' });
      expect(await edit.getByRole('checkbox', { name: /invoices:approve/ }).isChecked()).toBe(true);
      await edit.getByRole('textbox', { name: 'Name', exact: true }).fill('Billing lead');
      await edit.getByRole('checkbox', { name: /members:view/ }).check();
      await inspect(page, 'role-edit', false);
      await edit.getByRole('button', { name: 'Save role' }).click();
      await edit.waitFor({ state: 'detached' });
      await page
        .getByRole('table', { name: 'Roles' })
        .getByRole('row', { name: /Billing lead/ })
        .getByText('members:view')
        .waitFor();
      const billing = (await t.backend.organizations.roles.list(org.id)).data.find((r) => r.key === 'billing');
      expect(billing?.name).toBe('Billing lead');
      expect([...(billing?.permissions ?? [])].sort()).toEqual(['invoices:approve', 'members:view']);
      await inspect(page, 'custom-roles');

      // The catalog on the Instance page: add one, delete one of yours after confirming; a permission a role holds stays.
      await page.getByRole('link', { name: 'Instance' }).click();
      await page.getByRole('heading', { name: 'Instance', level: 1 }).waitFor();
      await page.getByRole('button', { name: 'Add permission' }).click();
      const instanceAdd = page.getByRole('dialog', { name: 'Add a permission to the catalog' });
      await instanceAdd.getByLabel('Key').fill('reports:export');
      await instanceAdd.getByRole('button', { name: 'Add permission' }).click();
      await instanceAdd.waitFor({ state: 'detached' });
      const catalog = page.getByRole('table', { name: 'Permission catalog' });
      await catalog.getByText('reports:export').waitFor();
      expect(await catalogKeys()).toContain('reports:export');
      await catalog
        .getByRole('row', { name: /invoices:approve/ })
        .getByRole('button', { name: 'Delete' })
        .click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete permission' }).click();
      await page
        .getByRole('dialog')
        .getByText(/Request id req_/)
        .waitFor();
      await page.keyboard.press('Escape');
      expect(await catalogKeys()).toContain('invoices:approve');
      await catalog
        .getByRole('row', { name: /reports:export/ })
        .getByRole('button', { name: 'Delete' })
        .click();
      await confirm(page, 'Delete permission');
      await catalog.getByText('reports:export').waitFor({ state: 'detached' });
      expect(await catalogKeys()).not.toContain('reports:export');
      expect(await seriousViolations(page)).toEqual([]);

      // An organization that is not there: the API's message and request id, and the way back.
      await page.goto(`${origin}/console/organizations/org_${'0'.repeat(26)}`);
      await page.getByText(/Request id req_/).waitFor();
      await page.getByRole('link', { name: '← Organizations' }).click();
      await page.getByRole('heading', { name: 'Organizations', level: 1 }).waitFor();
    },
    SLOW,
  );
});
