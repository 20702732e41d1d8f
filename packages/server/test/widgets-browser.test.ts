import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPlayground } from '../../../apps/playground/build.mjs';
import { totpCodeAt } from '../src/security/totp.js';
import { codeIn, DEFAULT_PASSWORD } from './auth-helpers.js';
import { seriousViolations } from './browser-helpers.js';
import { freePort, startTestGatehouse, type TestGatehouse } from './harness.js';
import { onCi } from './services.js';

/**
 * The widgets in Debian's Chromium, headless, on the playground the server serves (same origin,
 * under its real CSP): the flows a person does by hand, axe-core on every widget in both themes,
 * and the screenshots in docs/screenshots.
 */
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available) {
  const reason = `Chromium is not installed at ${CHROMIUM} (apt-get install chromium)`;
  if (onCi) throw new Error(`${reason}, and CI=true requires it.`);
  console.warn(`[skipped] widget browser tests: ${reason}`);
}

// Launching a browser and building the bundle on a loaded machine take a while.
const SLOW = 180_000;
// `UPDATE_SCREENSHOTS=1` refreshes the ones in docs/; otherwise they go to a temporary folder, so a
// test run leaves the work tree clean (the random emails on them differ every run).
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS
  ? fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url))
  : `${mkdtempSync(join(tmpdir(), 'gatehouse-screenshots-'))}/`;
const SEED_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

let t: TestGatehouse;
let browser: Browser;
let origin: string;

async function setTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  if ((await page.evaluate(() => document.documentElement.dataset.theme)) === theme) return;
  await page.getByRole('button', { name: `Switch to ${theme} theme` }).click();
  await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
}

/** The smallest rectangle around these elements, with a margin of page around them. */
async function clipAround(page: Page, locators: Locator[], margin = 40) {
  const boxes = [];
  for (const l of locators) {
    const box = await l.boundingBox();
    if (box) boxes.push(box);
  }
  const viewport = page.viewportSize() ?? { width: 1280, height: 800 };
  const x = Math.max(0, Math.min(...boxes.map((b) => b.x)) - margin);
  const y = Math.max(0, Math.min(...boxes.map((b) => b.y)) - margin);
  const right = Math.min(viewport.width, Math.max(...boxes.map((b) => b.x + b.width)) + margin);
  const bottom = Math.min(viewport.height, Math.max(...boxes.map((b) => b.y + b.height)) + margin);
  return { x, y, width: right - x, height: bottom - y };
}

/**
 * In each theme (switched with the playground's own toggle, so the widget keeps its state): open
 * what needs opening, check it with axe, screenshot it, close it again. Header widgets (`open`)
 * are shot across the whole header, with the page below hidden so only the widget and its menu show.
 */
async function inspect(page: Page, name: string, frame: () => Locator[], open?: () => Promise<void>): Promise<void> {
  for (const theme of ['light', 'dark'] as const) {
    await setTheme(page, theme);
    if (open) await open();
    expect(await seriousViolations(page), `${name} in ${theme}`).toEqual([]);
    let clip = await clipAround(page, frame());
    if (open) {
      await page.evaluate(() => document.querySelector<HTMLElement>('.pg-main')?.style.setProperty('visibility', 'hidden'));
      const width = page.viewportSize()?.width ?? 1280;
      clip = { x: 0, y: 0, width, height: clip.y + clip.height };
    }
    await page.screenshot({ path: `${SCREENSHOTS}widgets-${name}-${theme}.png`, clip, animations: 'disabled' });
    if (open) {
      await page.evaluate(() => document.querySelector<HTMLElement>('.pg-main')?.style.removeProperty('visibility'));
      await page.keyboard.press('Escape');
    }
  }
  await setTheme(page, 'light');
}

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 2, colorScheme: 'light' });
  const page = await context.newPage();
  page.on('pageerror', (error) => {
    throw error;
  });
  return page;
}

const card = (page: Page) => page.locator('.gh-root.gh-card');
const switcher = (page: Page) => page.getByRole('button', { name: /^Switch organization/ });

describe.skipIf(!available)('widgets in headless Chromium', () => {
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
    'signs up with the emailed code, creates organizations, switches between them, and signs out',
    async () => {
      const page = await newPage();
      const email = t.email('ada');
      await page.goto(`${origin}/playground/sign-up`);
      await expect.poll(() => card(page).count()).toBe(1);
      await page.getByLabel('First name').fill('Ada');
      await page.getByLabel('Last name').fill('Lovelace');
      await page.getByLabel('Email address').fill(email);
      await page.getByLabel('Password').fill(DEFAULT_PASSWORD);
      await inspect(page, 'sign-up', () => [card(page)]);
      await page.getByRole('button', { name: 'Continue' }).click();

      await page.getByRole('heading', { name: 'Check your email' }).waitFor();
      const messages = await t.backend.outbox.list({ to: email });
      const code = codeIn((messages.data[0] as { text: string }).text);
      await inspect(page, 'sign-up-code', () => [card(page)]);
      await page.getByLabel('Verification code').fill(code);
      await page.getByRole('button', { name: 'Verify email' }).click();
      await page.getByRole('heading', { name: 'Welcome, Ada' }).waitFor();

      // No organization yet: the switcher's empty state, then create one from its dialog.
      const openSwitcher = async () => {
        await switcher(page).click();
        await page.getByRole('menu').waitFor();
      };
      const menuFrame = () => [switcher(page), page.getByRole('menu')];
      await inspect(page, 'organization-switcher-empty', menuFrame, openSwitcher);
      await openSwitcher();
      await expect.poll(() => page.getByRole('menu').textContent()).toContain('not in any organization yet');
      await page.getByRole('menuitem', { name: 'Create organization' }).click();
      const dialog = page.getByRole('dialog', { name: 'Create an organization' });
      await dialog.getByLabel('Organization name').fill('Acme Inc.');
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: `${SCREENSHOTS}widgets-create-organization-dialog-light.png`, clip: await clipAround(page, [dialog]) });
      await dialog.getByRole('button', { name: 'Create organization' }).click();
      await expect.poll(() => switcher(page).getAttribute('aria-label')).toBe('Switch organization, current: Acme Inc.');

      // The full-page widget makes a second one, which becomes active.
      await page.getByRole('link', { name: 'Create organization' }).click();
      await page.getByLabel('Organization name').fill('Globex Corporation');
      await inspect(page, 'create-organization', () => [card(page)]);
      await page.getByRole('button', { name: 'Create organization' }).click();
      await expect.poll(() => switcher(page).getAttribute('aria-label')).toBe('Switch organization, current: Globex Corporation');

      await inspect(page, 'organization-switcher', menuFrame, openSwitcher);
      await openSwitcher();
      await page.getByRole('menuitemradio', { name: /Acme Inc\./ }).click();
      await expect.poll(() => switcher(page).getAttribute('aria-label')).toBe('Switch organization, current: Acme Inc.');
      await expect.poll(() => page.locator('.pg-lead').textContent()).toContain('Acme Inc. as owner');

      // The user menu, keyboard first: Enter opens it, and the focus ring shows.
      const account = page.getByRole('button', { name: 'Account menu for Ada Lovelace' });
      await inspect(
        page,
        'user-button',
        () => [account, page.getByRole('menu')],
        async () => {
          await account.focus();
          await page.keyboard.press('Enter');
          await page.getByRole('menu').waitFor();
        },
      );
      await account.click();
      await page.getByRole('menuitem', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      expect((await page.context().cookies()).find((c) => c.name === '__session')).toBeUndefined();
    },
    SLOW,
  );

  it(
    'signs in with a password and a TOTP code, after explaining a wrong password',
    async () => {
      const email = t.email('totp');
      const user = await t.backend.users.create({ email, password: DEFAULT_PASSWORD, firstName: 'Grace', lastName: 'Hopper' });
      await t.backend.users.mfa.createAuthenticator(user.id, { secret: SEED_SECRET });
      const page = await newPage();
      await page.goto(`${origin}/playground/sign-in`);
      await page.getByLabel('Email address').fill(email);
      await page.getByLabel('Password').fill('not the password');
      await page.getByRole('button', { name: 'Continue' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('don’t match');
      await inspect(page, 'sign-in-error', () => [card(page)]);

      await page.getByLabel('Password').fill(DEFAULT_PASSWORD);
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('heading', { name: 'Two-step verification' }).waitFor();
      // The code input has the focus, so a person types straight away.
      expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('code');
      await inspect(page, 'sign-in-totp', () => [card(page)]);
      await page.getByLabel('Authentication code').fill(totpCodeAt(SEED_SECRET, t.clock.now()));
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.getByRole('heading', { name: 'Welcome, Grace' }).waitFor();
      expect((await page.context().cookies()).find((c) => c.name === '__session')?.httpOnly).toBe(true);
    },
    SLOW,
  );

  it(
    'shows the sign-in card, and serves /playground/accept as the invitation page',
    async () => {
      const page = await newPage();
      await page.goto(`${origin}/playground/sign-in`);
      await card(page).waitFor();
      await inspect(page, 'sign-in', () => [card(page)]);

      // Five wrong passwords use up the account's sign-in budget; the sixth try, from the widget, is told to wait.
      const email = t.email('limited');
      await t.backend.users.create({ email, password: DEFAULT_PASSWORD });
      for (let i = 0; i < 5; i++)
        await t
          .client()
          .auth.signIn({ email, password: 'wrong password' })
          .catch(() => undefined);
      await page.getByLabel('Email address').fill(email);
      await page.getByLabel('Password').fill(DEFAULT_PASSWORD);
      await page.getByRole('button', { name: 'Continue' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toBe('Too many attempts. Try again in 15 minutes.');
      expect(await page.getByRole('button', { name: 'Continue' }).isDisabled()).toBe(true);
      expect(await seriousViolations(page)).toEqual([]);
      const response = await page.goto(`${origin}/playground/accept#token=abc`);
      expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
      await page.getByRole('heading', { name: 'Join an organization' }).waitFor();
    },
    SLOW,
  );
});
