import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, signedInClient } from './auth-helpers.js';
import { freePort, startTestGatehouse, type TestGatehouse } from './harness.js';
import { onCi } from './services.js';

/**
 * A real passkey ceremony: Debian's Chromium, headless, with the DevTools virtual authenticator
 * (a platform authenticator holding discoverable credentials, user verification on), on a small page
 * served from Gatehouse's own origin that calls the frontend API and `navigator.credentials`.
 */
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available) {
  const reason = `Chromium is not installed at ${CHROMIUM} (apt-get install chromium)`;
  if (onCi) throw new Error(`${reason}, and CI=true requires it.`);
  console.warn(`[skipped] passkey browser tests: ${reason}`);
}

// Launching a browser on a loaded machine takes a while.
const SLOW = 120_000;

/** The page: base64url both ways, the frontend API over fetch (session token in a header), and both ceremonies. */
const PAGE = `<!doctype html><meta charset="utf-8"><title>Passkey test</title><script>
const enc = (buf) => btoa(String.fromCharCode(...new Uint8Array(buf))).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
const dec = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
const descriptors = (list) => (list || []).map((c) => ({ ...c, id: dec(c.id) }));
window.call = async (name, body, token) => {
  const headers = { 'content-type': 'application/json', 'gatehouse-token-transport': 'header' };
  if (token) headers.authorization = 'Bearer ' + token;
  const res = await fetch('/v1/' + name, { method: 'POST', headers, body: JSON.stringify(body) });
  const json = await res.json();
  return { status: res.status, data: json.data, errors: json.errors, sessionToken: res.headers.get('gatehouse-session-token') };
};
window.createPasskey = async (o) => {
  const cred = await navigator.credentials.create({ publicKey: { ...o, challenge: dec(o.challenge), user: { ...o.user, id: dec(o.user.id) }, excludeCredentials: descriptors(o.excludeCredentials) } });
  return { id: cred.id, rawId: enc(cred.rawId), type: cred.type,
    response: { clientDataJSON: enc(cred.response.clientDataJSON), attestationObject: enc(cred.response.attestationObject), transports: cred.response.getTransports() },
    clientExtensionResults: cred.getClientExtensionResults(), authenticatorAttachment: cred.authenticatorAttachment || undefined };
};
window.getPasskey = async (o) => {
  const cred = await navigator.credentials.get({ publicKey: { ...o, challenge: dec(o.challenge), allowCredentials: descriptors(o.allowCredentials) } });
  return { id: cred.id, rawId: enc(cred.rawId), type: cred.type,
    response: { clientDataJSON: enc(cred.response.clientDataJSON), authenticatorData: enc(cred.response.authenticatorData), signature: enc(cred.response.signature),
      userHandle: cred.response.userHandle ? enc(cred.response.userHandle) : undefined },
    clientExtensionResults: cred.getClientExtensionResults(), authenticatorAttachment: cred.authenticatorAttachment || undefined };
};
window.registerFlow = async (token) => {
  const options = await call('me/passkeys/register-options', {}, token);
  if (options.status !== 200) return options;
  return call('me/passkeys/register', { response: await createPasskey(options.data.options), name: 'Chromium virtual key' }, token);
};
window.signInFlow = async () => {
  const options = await call('auth/passkey/options', {});
  return call('auth/passkey/verify', { response: await getPasskey(options.data.options) });
};
</script>`;

interface CallResult {
  status: number;
  data: Record<string, unknown> | null;
  errors: { code: string }[] | null;
  sessionToken: string | null;
}

let t: TestGatehouse;
let browser: Browser;
let origin: string;
let wrongOrigin: string;

/** A new tab on `at` with its own virtual authenticator. */
async function openPage(at: string): Promise<Page> {
  const page = await browser.newPage();
  // The page is served at this URL whatever listens there (Gatehouse for `origin`, nothing for the wrong one).
  await page.route('**/passkey-test', (route) => route.fulfill({ contentType: 'text/html', body: PAGE }));
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
  });
  await page.goto(`${at}/passkey-test`);
  return page;
}

describe.skipIf(!available)('passkeys in headless Chromium', () => {
  beforeAll(async () => {
    const port = await freePort();
    origin = `http://localhost:${port}`;
    wrongOrigin = `http://localhost:${await freePort()}`;
    // WebAuthn needs a secure context and a domain as RP id: http://localhost is both.
    t = await startTestGatehouse({ port, env: { PUBLIC_URL: origin } });
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
    'registers a passkey, then signs in with it with no email typed, and refuses a replay or a counter that went back',
    async () => {
      const a = await signedInClient(t);
      const page = await openPage(origin);
      try {
        const registered = (await page.evaluate(
          (token) => (window as never as { registerFlow(t: string): Promise<CallResult> }).registerFlow(token),
          a.sessionToken,
        )) as CallResult;
        expect(registered.status).toBe(200);
        const passkey = (registered.data as { passkey: { id: string } }).passkey;
        expect(passkey).toMatchObject({ name: 'Chromium virtual key', transports: ['internal'], lastUsedAt: null });
        expect((await t.backend.users.passkeys.list(a.user.id)).data).toEqual([passkey]);

        const signIn = () =>
          page.evaluate(() => (window as never as { signInFlow(): Promise<CallResult> }).signInFlow()) as Promise<CallResult>;
        const signedIn = await signIn();
        expect(signedIn.status).toBe(200);
        expect(signedIn.data).toMatchObject({ status: 'complete', user: { id: a.user.id } });
        const token = signedIn.sessionToken ?? '';
        expect(token).not.toBe('');
        expect((await t.client({ sessionToken: token }).me.get()).user.id).toBe(a.user.id);
        const [used] = (await t.backend.users.passkeys.list(a.user.id)).data;
        expect(used?.lastUsedAt).not.toBeNull();

        // The same assertion sent twice: its challenge is used up.
        const options = await t.client().auth.passkey.options();
        const assertion = await page.evaluate(
          (o) => (window as never as { getPasskey(o: unknown): Promise<unknown> }).getPasskey(o),
          options.options,
        );
        await t.client().auth.passkey.verify({ response: assertion as never });
        const replay = await failure(t.client().auth.passkey.verify({ response: assertion as never }));
        expect([replay.status, replay.code]).toEqual([401, 'invalid_credentials']);

        // A stored counter ahead of the authenticator's looks like a cloned key: refused.
        await t.gatehouse.deps.db.updateTable('passkeys').set({ sign_count: 1000 }).where('id', '=', passkey.id).execute();
        const cloned = await signIn();
        expect([cloned.status, cloned.errors?.[0]?.code]).toEqual([401, 'invalid_credentials']);
      } finally {
        await page.close();
      }
    },
    SLOW,
  );

  it(
    'refuses a passkey made, or an assertion signed, on an origin that is not allowed',
    async () => {
      const a = await signedInClient(t);
      const page = await openPage(wrongOrigin);
      try {
        // The RP id (localhost) fits the page, so the browser makes the credential; Gatehouse refuses the origin.
        const { options } = await a.client.me.passkeys.registerOptions();
        const created = await page.evaluate(
          (o) => (window as never as { createPasskey(o: unknown): Promise<unknown> }).createPasskey(o),
          options,
        );
        const error = await failure(a.client.me.passkeys.register({ response: created as never }));
        expect([error.status, error.code]).toEqual([400, 'invalid_request']);
        expect(error.message).toMatch(/origin/);
        expect((await a.client.me.passkeys.list()).passkeys).toEqual([]);

        // A passkey registered on the right origin, used from the wrong one: refused too.
        await page.goto(`${origin}/passkey-test`);
        const registered = (await page.evaluate(
          (token) => (window as never as { registerFlow(t: string): Promise<CallResult> }).registerFlow(token),
          a.sessionToken,
        )) as CallResult;
        expect(registered.status).toBe(200);
        await page.goto(`${wrongOrigin}/passkey-test`);
        const signInOptions = await t.client().auth.passkey.options();
        const assertion = await page.evaluate(
          (o) => (window as never as { getPasskey(o: unknown): Promise<unknown> }).getPasskey(o),
          signInOptions.options,
        );
        const refused = await failure(t.client().auth.passkey.verify({ response: assertion as never }));
        expect([refused.status, refused.code]).toEqual([401, 'invalid_credentials']);
      } finally {
        await page.close();
      }
    },
    SLOW,
  );
});
