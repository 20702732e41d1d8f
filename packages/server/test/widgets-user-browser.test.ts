import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPlayground } from '../../../apps/playground/build.mjs';
import { totpCodeAt } from '../src/security/totp.js';
import { DEFAULT_PASSWORD, failure } from './auth-helpers.js';
import { seriousViolations } from './browser-helpers.js';
import { freePort, startTestGatehouse, type TestGatehouse } from './harness.js';
import { onCi } from './services.js';

/**
 * UserProfile and the passkey button of SignIn in Debian's Chromium, headless, on the playground
 * the server serves: TOTP enrolment and a sign-in with its code, a passkey registered and used with
 * the DevTools virtual authenticator, sessions signed out from the Devices tab, axe-core on every
 * tab in both themes, and the screenshots in docs/screenshots.
 */
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available) {
  const reason = `Chromium is not installed at ${CHROMIUM} (apt-get install chromium)`;
  if (onCi) throw new Error(`${reason}, and CI=true requires it.`);
  console.warn(`[skipped] user profile browser tests: ${reason}`);
}

const SLOW = 180_000;
// `UPDATE_SCREENSHOTS=1` refreshes the ones in docs/; otherwise they go to a temporary folder.
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS
  ? fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url))
  : `${mkdtempSync(join(tmpdir(), 'gatehouse-screenshots-'))}/`;
// Past the 10-minute window in which a sign-in counts as a fresh password.
const STALE = 11 * 60_000;

let t: TestGatehouse;
let browser: Browser;
let origin: string;

/** The playground's own toggle; the widgets follow it through the Provider's `theme`, colors and all. */
async function setTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  if ((await page.evaluate(() => document.documentElement.dataset.theme)) === theme) return;
  await page.getByRole('button', { name: `Switch to ${theme} theme` }).click();
  const widget = page.locator('.gh-root').first();
  await expect.poll(() => widget.getAttribute('data-gh-theme')).toBe(theme);
  expect(await widget.evaluate((el) => getComputedStyle(el).colorScheme)).toBe(theme);
}

/** axe and a screenshot of `frame` in each theme, then back to light. */
async function inspect(page: Page, name: string, frame: () => Locator, margin = 32): Promise<void> {
  for (const theme of ['light', 'dark'] as const) {
    await setTheme(page, theme);
    expect(await seriousViolations(page), `${name} in ${theme}`).toEqual([]);
    const box = await frame().boundingBox();
    if (!box) throw new Error(`${name}: nothing to screenshot`);
    const clip = {
      x: Math.max(0, box.x - margin),
      y: Math.max(0, box.y - margin),
      width: box.width + 2 * margin,
      height: box.height + 2 * margin,
    };
    await page.screenshot({ path: `${SCREENSHOTS}widgets-${name}-${theme}.png`, clip, animations: 'disabled', fullPage: true });
  }
  await setTheme(page, 'light');
}

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 2, colorScheme: 'light' });
  const page = await context.newPage();
  page.on('pageerror', (error) => {
    throw error;
  });
  return page;
}

/** A platform authenticator holding discoverable credentials, user verification on (DevTools WebAuthn domain). */
async function addVirtualAuthenticator(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
  });
}

async function signInWithPassword(page: Page, email: string, name: string): Promise<void> {
  await page.goto(`${origin}/playground/sign-in`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(DEFAULT_PASSWORD);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { name: `Welcome, ${name}` }).waitFor();
}

async function signOut(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: `Account menu for ${name}` }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
}

async function openTab(page: Page, tab: 'Profile' | 'Security' | 'Devices'): Promise<void> {
  await page.getByRole('navigation', { name: 'Account' }).getByRole('button', { name: tab }).click();
  await expect.poll(() => nav(page).getByRole('button', { name: tab }).getAttribute('aria-current')).toBe('page');
}

const profile = (page: Page) => page.locator('.gh-root.gh-profile');
const nav = (page: Page) => page.getByRole('navigation', { name: 'Account' });
const section = (page: Page, title: string) => page.getByRole('region', { name: title });

/** The dialog a guarded step opens when the sign-in is older than 10 minutes. */
async function confirmPassword(page: Page): Promise<void> {
  const dialog = page.getByRole('dialog', { name: 'Confirm it’s you' });
  await dialog.getByLabel('Password').fill(DEFAULT_PASSWORD);
  await dialog.getByRole('button', { name: 'Continue' }).click();
  await dialog.waitFor({ state: 'detached' });
}

describe.skipIf(!available)('UserProfile and passkey sign-in in headless Chromium', () => {
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const port = await freePort();
    origin = `http://localhost:${port}`;
    // WebAuthn needs a secure context and a domain as RP id: http://localhost is both.
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
    'edits the profile, adds an email with its code, enrols an authenticator app with the QR code, signs in with a code, and removes the app',
    async () => {
      const email = t.email('ada');
      const ada = await t.backend.users.create({ email, password: DEFAULT_PASSWORD, firstName: 'Ada', lastName: 'Lovelace' });
      const page = await newPage();
      await signInWithPassword(page, email, 'Ada');
      await page.getByRole('button', { name: 'Account menu for Ada Lovelace' }).click();
      await page.getByRole('menuitem', { name: 'Manage account' }).click();
      await page.getByRole('heading', { name: 'Profile details' }).waitFor();

      // Profile: the username goes through me/update and shows at once.
      await section(page, 'Profile').getByRole('button', { name: 'Update profile' }).click();
      await page.getByLabel('Username').fill('ada.lovelace');
      await page.getByRole('button', { name: 'Save' }).click();
      await section(page, 'Profile').getByText('@ada.lovelace').waitFor();

      // A second address: the sign-in is stale, so the password is asked first; then the emailed code.
      t.clock.advance(STALE);
      const second = t.email('ada-work');
      await section(page, 'Email addresses').getByRole('button', { name: 'Add email address' }).click();
      await page.getByRole('textbox', { name: 'Email address' }).fill(second);
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Confirm it’s you' });
      await dialog.waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: `${SCREENSHOTS}widgets-user-profile-reauth-light.png`, clip: await around(dialog) });
      await dialog.getByLabel('Password').fill('not the password');
      await dialog.getByRole('button', { name: 'Continue' }).click();
      await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('isn’t right');
      await confirmPassword(page);
      await page.getByLabel('Verification code').waitFor();
      const mail = await t.backend.outbox.list({ to: second });
      const code = /\b(\d{6})\b/.exec((mail.data[0] as { text: string }).text)?.[1] ?? '';
      await page.getByLabel('Verification code').fill(code);
      await page.getByRole('button', { name: 'Verify' }).click();
      await expect.poll(() => section(page, 'Email addresses').getByRole('status').textContent()).toContain('is verified');
      await page.getByRole('button', { name: `Options for ${second}` }).waitFor();
      await inspect(page, 'user-profile-profile', () => profile(page));

      // Make the new address primary and back (the reauthentication is still fresh), then remove it.
      const emails = section(page, 'Email addresses');
      const primaryEmail = async () => (await t.backend.users.get(ada.id)).email;
      await emails.getByRole('button', { name: `Options for ${second}` }).click();
      await page.getByRole('menuitem', { name: 'Make primary' }).click();
      await expect.poll(() => emails.getByRole('status').textContent()).toContain(`${second} is now your primary`);
      expect(await primaryEmail()).toBe(second);
      await emails.getByRole('button', { name: `Options for ${email}` }).click();
      await page.getByRole('menuitem', { name: 'Make primary' }).click();
      await expect.poll(primaryEmail).toBe(email);
      await emails.getByRole('button', { name: `Options for ${second}` }).click();
      await page.getByRole('menuitem', { name: 'Remove email' }).click();
      await expect.poll(() => emails.getByRole('status').textContent()).toContain(`${second} was removed`);
      expect((await t.backend.users.get(ada.id)).emails.map((e) => e.email)).toEqual([email]);

      // Security: the enrolment shows the QR code and the key; a code from the secret finishes it.
      await openTab(page, 'Security');
      const twoStep = section(page, 'Two-step verification');
      await twoStep.getByRole('button', { name: 'Set up' }).click();
      await twoStep.getByRole('img', { name: /QR code/ }).waitFor();
      const secret = (await twoStep.locator('.gh-secret code').textContent()) ?? '';
      expect(secret).toMatch(/^[A-Z2-7]+$/);
      await inspect(page, 'user-profile-totp', () => profile(page));
      await twoStep.getByLabel('Enter the 6-digit code from the app').fill('000000');
      await twoStep.getByRole('button', { name: 'Verify and enable' }).click();
      await expect.poll(() => twoStep.locator('.gh-field-error').textContent()).toContain('isn’t right');
      await twoStep.getByLabel('Enter the 6-digit code from the app').fill(totpCodeAt(secret, t.clock.now()));
      await twoStep.getByRole('button', { name: 'Verify and enable' }).click();

      // Ten backup codes, shown this once.
      const codes = twoStep.getByRole('list', { name: 'Backup codes' }).getByRole('listitem');
      await expect.poll(() => codes.count()).toBe(10);
      const backupCodes = await codes.allTextContents();
      await inspect(page, 'user-profile-backup-codes', () => profile(page));
      await twoStep.getByRole('button', { name: 'I’ve saved them' }).click();
      await twoStep.getByText('Enabled').waitFor();
      await twoStep.getByText('10 codes left').waitFor();
      await inspect(page, 'user-profile-security', () => profile(page));

      // Signed out and in again: the password, then a code of the new authenticator (the next 30-second step).
      await signOut(page, 'Ada Lovelace');
      t.clock.advance(30_000);
      await page.getByLabel('Email address').fill(email);
      await page.getByLabel('Password').fill(DEFAULT_PASSWORD);
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByLabel('Authentication code').fill(totpCodeAt(secret, t.clock.now()));
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.getByRole('heading', { name: 'Welcome, Ada' }).waitFor();

      // And once with a backup code, which is then used up.
      await signOut(page, 'Ada Lovelace');
      await page.getByLabel('Email address').fill(email);
      await page.getByLabel('Password').fill(DEFAULT_PASSWORD);
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('button', { name: 'Use a backup code' }).click();
      await page.getByLabel('Backup code').fill(backupCodes[0] ?? '');
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.getByRole('heading', { name: 'Welcome, Ada' }).waitFor();
      await page.goto(`${origin}/playground/account`);
      await openTab(page, 'Security');
      await section(page, 'Two-step verification').getByText('9 codes left').waitFor();

      // Removing the authenticator app (just signed in: no password asked) turns the second step off.
      await page.getByRole('button', { name: 'Options for authenticator app' }).click();
      await page.getByRole('menuitem', { name: 'Remove authenticator app' }).click();
      await expect.poll(() => section(page, 'Two-step verification').getByRole('status').textContent()).toContain('removed');
      expect((await t.backend.users.get(ada.id)).totpEnabled).toBe(false);
    },
    SLOW,
  );

  it(
    'registers a passkey in UserProfile, renames it, signs in with the passkey button, and removes it',
    async () => {
      const email = t.email('grace');
      const grace = await t.backend.users.create({ email, password: DEFAULT_PASSWORD, firstName: 'Grace', lastName: 'Hopper' });
      const page = await newPage();
      await addVirtualAuthenticator(page);
      await signInWithPassword(page, email, 'Grace');
      await page.goto(`${origin}/playground/account`);
      await openTab(page, 'Security');
      const passkeys = section(page, 'Passkeys');
      await passkeys.getByText('No passkeys yet').waitFor();

      t.clock.advance(STALE);
      await passkeys.getByRole('button', { name: 'Add a passkey' }).click();
      await confirmPassword(page);
      await expect.poll(() => passkeys.getByRole('status').textContent()).toContain('added');
      await passkeys.getByRole('button', { name: 'Options for passkey Chrome on Linux' }).click();
      await page.getByRole('menuitem', { name: 'Rename' }).click();
      await passkeys.getByLabel('Passkey name').fill('Work laptop');
      await passkeys.getByRole('button', { name: 'Save' }).click();
      await passkeys.getByText('Work laptop').waitFor();
      expect((await t.backend.users.passkeys.list(grace.id)).data).toMatchObject([{ name: 'Work laptop', lastUsedAt: null }]);
      await inspect(page, 'user-profile-passkeys', () => profile(page));

      // Signed out, the passkey signs in with no email typed, and no second step.
      await signOut(page, 'Grace Hopper');
      const signIn = page.locator('.gh-root.gh-card');
      await inspect(page, 'user-profile-sign-in-passkey', () => signIn);
      await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
      await page.getByRole('heading', { name: 'Welcome, Grace' }).waitFor();
      await page.goto(`${origin}/playground/account`);
      await openTab(page, 'Security');
      await section(page, 'Passkeys').getByText('Last used just now').waitFor();

      // Removed (the passkey sign-in counts as a fresh one), it signs in no more.
      await page.getByRole('button', { name: 'Options for passkey Work laptop' }).click();
      await page.getByRole('menuitem', { name: 'Remove passkey' }).click();
      await section(page, 'Passkeys').getByText('No passkeys yet').waitFor();
      expect((await t.backend.users.passkeys.list(grace.id)).data).toEqual([]);
    },
    SLOW,
  );

  it(
    'changes the password, after explaining a wrong current one and a confirmation that differs',
    async () => {
      const email = t.email('barbara');
      await t.backend.users.create({ email, password: DEFAULT_PASSWORD, firstName: 'Barbara', lastName: 'Liskov' });
      const page = await newPage();
      await signInWithPassword(page, email, 'Barbara');
      await page.goto(`${origin}/playground/account`);
      await openTab(page, 'Security');
      const password = section(page, 'Password');
      await password.getByRole('button', { name: 'Change password' }).click();
      const next = 'a new horse battery staple';
      await password.getByLabel('Current password').fill('not the password');
      await password.getByLabel('New password', { exact: true }).fill(next);
      await password.getByLabel('Confirm new password').fill(`${next}!`);
      await password.getByText('The passwords don’t match.').waitFor();
      expect(await password.getByRole('button', { name: 'Change password' }).isDisabled()).toBe(true);
      await password.getByLabel('Confirm new password').fill(next);
      await password.getByRole('button', { name: 'Change password' }).click();
      await expect.poll(() => password.getByRole('alert').textContent()).toContain('current password isn’t right');
      expect(await seriousViolations(page)).toEqual([]);
      await password.getByLabel('Current password').fill(DEFAULT_PASSWORD);
      await password.getByRole('button', { name: 'Change password' }).click();
      await expect.poll(() => password.getByRole('status').textContent()).toContain('Password changed');
      const fresh = t.client({ tokenTransport: 'header' });
      expect((await fresh.auth.signIn({ email, password: next })).status).toBe('complete');
      expect((await failure(fresh.auth.signIn({ email, password: DEFAULT_PASSWORD }))).code).toBe('invalid_credentials');
    },
    SLOW,
  );

  it(
    'explains a passkey sign-in with no passkey on the device',
    async () => {
      const page = await newPage();
      await addVirtualAuthenticator(page);
      await page.goto(`${origin}/playground/sign-in`);
      await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
      await expect.poll(() => page.getByRole('alert').textContent(), { timeout: 60_000 }).toContain('cancelled or timed out');
      expect(await seriousViolations(page)).toEqual([]);
    },
    SLOW,
  );

  it(
    'lists the devices signed in, signs one out, then every other one',
    async () => {
      const email = t.email('katherine');
      await t.backend.users.create({ email, password: DEFAULT_PASSWORD, firstName: 'Katherine', lastName: 'Johnson' });
      const phone = await signedInAs(email, IPHONE);
      const laptop = await signedInAs(email, WINDOWS_FIREFOX);
      const page = await newPage();
      await signInWithPassword(page, email, 'Katherine');
      await page.goto(`${origin}/playground/account`);
      // Keyboard only: Tab from the Security tab to Devices, Enter opens it, and the focus ring shows.
      await nav(page).getByRole('button', { name: 'Security' }).focus();
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await expect.poll(() => nav(page).getByRole('button', { name: 'Devices' }).getAttribute('aria-current')).toBe('page');
      expect(await page.evaluate(() => document.activeElement && getComputedStyle(document.activeElement).outlineStyle)).toBe('solid');
      const devices = section(page, 'Signed in');
      await expect.poll(() => devices.getByRole('listitem').count()).toBe(3);
      await devices.getByText('This device').waitFor();
      await inspect(page, 'user-profile-devices', () => profile(page));

      await devices
        .getByRole('button', { name: /^Sign out/ })
        .first()
        .click();
      await expect.poll(() => devices.getByRole('listitem').count()).toBe(2);
      await devices.getByRole('button', { name: 'Sign out of all other devices' }).click();
      await expect.poll(() => devices.getByRole('status').textContent()).toContain('One other device was signed out');
      await devices.getByText('You’re signed in on this device only.').waitFor();
      for (const other of [phone, laptop]) expect((await failure(other.me.get())).code).toBe('unauthenticated');
      expect(await seriousViolations(page)).toEqual([]);
    },
    SLOW,
  );
});

const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.2 Mobile/15E148 Safari/604.1';
const WINDOWS_FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';

/** Another device signed in as `email`, with its own User-Agent (header transport: no cookie jar). */
async function signedInAs(email: string, userAgent: string) {
  const client = t.client({ tokenTransport: 'header', headers: { 'user-agent': userAgent } });
  const result = await client.auth.signIn({ email, password: DEFAULT_PASSWORD });
  expect(result.status).toBe('complete');
  return client;
}

async function around(locator: Locator, margin = 32) {
  const box = await locator.boundingBox();
  if (!box) throw new Error('nothing to screenshot');
  return { x: box.x - margin, y: box.y - margin, width: box.width + 2 * margin, height: box.height + 2 * margin };
}
