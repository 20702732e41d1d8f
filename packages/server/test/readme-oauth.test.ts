import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPlayground } from '../../../apps/playground/build.mjs';
import { freePort, startTestGatehouse, type TestGatehouse } from './harness.js';
import { parsedLines, readmeBlocks, root, runReadmeShell } from './readme-shell.js';
import { onCi } from './services.js';

// The README's "Social sign-in": the curl steps exactly as written (against this test's server and
// the example provider's port), then the link opened in Debian's Chromium, signing in at the
// example OpenID provider through its own login and consent pages.
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available) {
  const reason = `Chromium is not installed at ${CHROMIUM} (apt-get install chromium)`;
  if (onCi) throw new Error(`${reason}, and CI=true requires it.`);
  console.warn(`[skipped] social sign-in browser test: ${reason}`);
}
const SLOW = 120_000;

let t: TestGatehouse;
let idp: ChildProcess;
let issuer: string;

beforeAll(async () => {
  const port = await freePort();
  t = await startTestGatehouse({ port, env: { PUBLIC_URL: `http://127.0.0.1:${port}` } });
  const idpPort = await freePort();
  issuer = `http://localhost:${idpPort}`;
  idp = spawn(process.execPath, ['examples/oidc-provider.mjs'], {
    cwd: root,
    env: { ...process.env, PORT: String(idpPort), GATEHOUSE_URL: t.url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    idp.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('OpenID provider at') && resolve());
    idp.once('exit', (code) => reject(new Error(`examples/oidc-provider.mjs exited with ${code}`)));
  });
}, SLOW);
afterAll(async () => {
  idp?.kill();
  await t?.close();
});

describe('the README', () => {
  it.skipIf(!available)(
    'configures the example OpenID provider with curl and signs a new user in through it in a browser',
    async () => {
      const script = readmeBlocks('sh', '## Social sign-in').replaceAll('http://localhost:9000', issuer);
      const lines = await runReadmeShell(t, script);
      const [providers, buttons] = parsedLines(lines.slice(0, 2)) as Record<string, unknown>[];
      expect(providers).toMatchObject({
        data: [{ type: 'oidc', name: 'Local IdP', clientSecretSet: true, issuer, callbackUrl: `${t.url}/v1/auth/oauth/callback` }],
      });
      expect(JSON.stringify(providers)).not.toContain('demo-secret-change-me');
      expect(buttons).toMatchObject({ status: 200, data: { providers: [{ type: 'oidc', name: 'Local IdP' }] } });
      const link = lines[2] as string;
      expect(link).toMatch(new RegExp(`^${t.url}/v1/auth/oauth/start\\?providerId=oap_`));

      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      });
      try {
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.goto(link);
        // The provider's own sign-in page, then its consent page.
        await page.locator('input[name="login"]').fill('ada@example.com');
        await page.locator('input[name="password"]').fill('any password');
        await page.getByRole('button', { name: 'Sign-in' }).click();
        await page.getByRole('button', { name: 'Continue' }).click();
        await page.waitForURL(`${t.url}/playground`);
        const session = (await context.cookies(t.url)).find((c) => c.name === '__session');
        expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
        const me = await page.request.post(`${t.url}/v1/me/get`, { data: {}, headers: { origin: t.url } });
        expect(((await me.json()) as { data: { user: { email: string; emails: { verified: boolean }[] } } }).data.user).toMatchObject({
          email: 'ada@example.com',
          emails: [{ verified: true }],
        });
      } finally {
        await browser.close();
      }
      const user = (await t.backend.users.list({ email: 'ada@example.com' })).data[0];
      const connections = await t.backend.users.socialConnections.list(user?.id as string);
      expect(connections.data).toEqual([
        expect.objectContaining({ providerName: 'Local IdP', email: 'ada@example.com', emailVerified: true }),
      ]);
    },
    SLOW,
  );

  it.skipIf(!available)(
    'signs in with the SignIn widget’s social button in the playground, and explains an error the callback sent back',
    async () => {
      await buildPlayground();
      await t.backend.oauthProviders.create({
        type: 'oidc',
        name: 'Widget IdP',
        issuer,
        clientId: 'gatehouse-demo',
        clientSecret: 'demo-secret-change-me',
      });
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      });
      try {
        const page = await (await browser.newContext()).newPage();
        await page.goto(`${t.url}/playground/sign-in?error=oauth_account_exists_unverified`);
        await page.getByText('An account with this email already exists').waitFor();
        // Read once: the address bar no longer carries it.
        expect(new URL(page.url()).search).toBe('');
        await page.getByRole('button', { name: 'Continue with Widget IdP' }).click();
        await page.locator('input[name="login"]').fill('grace@example.com');
        await page.locator('input[name="password"]').fill('any password');
        await page.getByRole('button', { name: 'Sign-in' }).click();
        await page.getByRole('button', { name: 'Continue' }).click();
        await page.waitForURL(`${t.url}/playground/sign-in`);
        await page.getByText('You’re signed in').waitFor();
        // UserProfile lists the connection, and will not disconnect the account's only way in.
        await page.goto(`${t.url}/playground/account`);
        await page.getByRole('button', { name: 'Security' }).click();
        await page.getByRole('heading', { name: 'Connected accounts' }).waitFor();
        await page.getByRole('button', { name: 'Options for Widget IdP' }).click();
        await page.getByRole('menuitem', { name: 'Disconnect' }).click();
        await page.getByText('it’s your only way to sign in').waitFor();
      } finally {
        await browser.close();
      }
      expect((await t.backend.users.list({ email: 'grace@example.com' })).data).toHaveLength(1);
    },
    SLOW,
  );
});
