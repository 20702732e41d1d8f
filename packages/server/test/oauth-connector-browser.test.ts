import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnector } from '@gatehouse/sdk';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPlayground } from '../../../apps/playground/build.mjs';
import { freePort, startTestGatehouse, type TestGatehouse } from './harness.js';
import { root } from './readme-shell.js';
import { onCi } from './services.js';

// The SignIn widget's "Continue with …" behind a connector on the app's own site, in Debian's
// Chromium: an app on another host name serves the playground's page and mounts `createConnector`
// at /playground/api, Gatehouse lists that connector's callback in OAUTH_CALLBACK_URLS, and the
// example OpenID provider (examples/oidc-provider.mjs, with APP_CALLBACK_URL as the README says)
// sends the browser back through the connector.
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available) {
  const reason = `Chromium is not installed at ${CHROMIUM} (apt-get install chromium)`;
  if (onCi) throw new Error(`${reason}, and CI=true requires it.`);
  console.warn(`[skipped] social sign-in through a connector, browser test: ${reason}`);
}
const SLOW = 120_000;
/** The app's host name, which Chromium maps to loopback: not Gatehouse's host, so no cookie is shared. */
const APP_HOST = 'app.test';

let t: TestGatehouse;
let idp: ChildProcess;
let app: { close: () => Promise<void> };
let APP: string;
let appPort: number;

beforeAll(async () => {
  await buildPlayground();
  const gatehousePort = await freePort();
  appPort = await freePort();
  APP = `http://${APP_HOST}:${appPort}`;
  const callback = `${APP}/playground/api/v1/auth/oauth/callback`;
  const gatehouseUrl = `http://127.0.0.1:${gatehousePort}`;
  t = await startTestGatehouse({
    port: gatehousePort,
    env: { PUBLIC_URL: gatehouseUrl, ALLOWED_ORIGINS: APP, OAUTH_CALLBACK_URLS: callback },
  });

  const idpPort = await freePort();
  const issuer = `http://localhost:${idpPort}`;
  idp = spawn(process.execPath, ['examples/oidc-provider.mjs'], {
    cwd: root,
    env: { ...process.env, PORT: String(idpPort), GATEHOUSE_URL: t.url, APP_CALLBACK_URL: callback },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    idp.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('OpenID provider at') && resolve());
    idp.once('exit', (code) => reject(new Error(`examples/oidc-provider.mjs exited with ${code}`)));
  });
  await t.backend.oauthProviders.create({
    type: 'oidc',
    name: 'App IdP',
    issuer,
    clientId: 'gatehouse-demo',
    clientSecret: 'demo-secret-change-me',
  });

  // The app: the connector at the path the playground's Provider uses, and the playground's page and
  // assets copied from Gatehouse, as an app would serve its own bundle.
  const connector = createConnector({ gatehouseUrl, mountPath: '/playground/api', publicUrl: APP });
  const hono = new Hono();
  hono.all('/playground/api/*', (c) => connector(c.req.raw));
  hono.get('/playground/*', async (c) => {
    const upstream = await fetch(`${gatehouseUrl}${c.req.path}`);
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'content-security-policy']) {
      const value = upstream.headers.get(name);
      if (value !== null) headers[name] = value;
    }
    return new Response(await upstream.arrayBuffer(), { status: upstream.status, headers });
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: hono.fetch, port: appPort, hostname: '127.0.0.1' }, () => resolve(s));
  });
  app = { close: () => new Promise((resolve) => server.close(() => resolve())) };
}, SLOW);
afterAll(async () => {
  idp?.kill();
  await app?.close();
  await t?.close();
});

describe('the SignIn widget behind a connector on the app’s origin', () => {
  it.skipIf(!available)(
    'signs in with a social button and leaves the session cookie on the app’s origin only',
    async () => {
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          `--host-resolver-rules=MAP ${APP_HOST} 127.0.0.1`,
        ],
      });
      try {
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.goto(`${APP}/playground/sign-in`);
        await page.getByRole('button', { name: 'Continue with App IdP' }).click();
        // The provider's own sign-in and consent pages.
        await page.locator('input[name="login"]').fill('linus@example.com');
        await page.locator('input[name="password"]').fill('any password');
        await page.getByRole('button', { name: 'Sign-in' }).click();
        await page.getByRole('button', { name: 'Continue' }).click();
        await page.waitForURL(`${APP}/playground/sign-in`);
        await page.getByText('You’re signed in').waitFor();

        const appCookies = await context.cookies(APP);
        expect(appCookies.find((c) => c.name === '__session')).toMatchObject({ domain: APP_HOST, httpOnly: true, sameSite: 'Lax' });
        expect(appCookies.find((c) => c.name === '__gatehouse_oauth')).toBeUndefined();
        expect(await context.cookies(t.url)).toEqual([]);
        // The page's own call through the connector, with the cookie the browser holds.
        const email = await page.evaluate(async () => {
          const response = await fetch('/playground/api/v1/me/get', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{}',
          });
          return ((await response.json()) as { data: { user: { email: string } } }).data.user.email;
        });
        expect(email).toBe('linus@example.com');
      } finally {
        await browser.close();
      }
    },
    SLOW,
  );
});
