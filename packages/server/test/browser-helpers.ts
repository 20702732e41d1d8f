import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * What the browser suites share: axe-core injected through DevTools, the playground's theme toggle,
 * a clip around some elements, and light+dark inspection (axe, then a screenshot) of a widget.
 */

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core on the whole page (its CSP allows no inline script, so DevTools injects it): serious or critical findings. */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Menus and dialogs fade in: colors are judged once they are fully there (spinners spin for ever and are left out).
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getComputedTiming().iterations !== Number.POSITIVE_INFINITY)
        .map((a) => a.finished.catch(() => undefined)),
    ),
  );
  await page.evaluate(AXE);
  const violations = (await page.evaluate(async () => {
    const axe = (window as never as { axe: { run(context: Document): Promise<{ violations: unknown[] }> } }).axe;
    return (await axe.run(document)).violations;
  })) as AxeViolation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Switch the playground's theme with its own toggle (the widgets keep their state). */
export async function setTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  if ((await page.evaluate(() => document.documentElement.dataset.theme)) === theme) return;
  await page.getByRole('button', { name: `Switch to ${theme} theme` }).click();
  await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
}

/** The smallest rectangle around these elements, with a margin of page around them. */
export async function clipAround(page: Page, locators: Locator[], margin = 40) {
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
 * In each theme: open what needs opening, check the page with axe, screenshot the frame into
 * `${dir}widgets-${name}-${theme}.png`, close it again (Escape).
 */
export async function inspect(page: Page, dir: string, name: string, frame: () => Locator[], open?: () => Promise<void>): Promise<void> {
  for (const theme of ['light', 'dark'] as const) {
    await setTheme(page, theme);
    if (open) await open();
    expect(await seriousViolations(page), `${name} in ${theme}`).toEqual([]);
    await page.screenshot({ path: `${dir}widgets-${name}-${theme}.png`, clip: await clipAround(page, frame()), animations: 'disabled' });
    if (open) await page.keyboard.press('Escape');
  }
  await setTheme(page, 'light');
}

/** A fresh browser context (its own cookies) with one page; a page error fails the test. */
export async function newPage(browser: Browser, viewport = { width: 1280, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 2, colorScheme: 'light' });
  const page = await context.newPage();
  page.on('pageerror', (error) => {
    throw error;
  });
  return page;
}
