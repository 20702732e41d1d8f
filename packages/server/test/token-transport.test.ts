import { createClient } from '@gatehouse/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeIn, DEFAULT_PASSWORD } from './auth-helpers.js';
import { startTestGatehouse, type TestGatehouse } from './harness.js';

let t: TestGatehouse;
beforeAll(async () => {
  t = await startTestGatehouse();
});
afterAll(() => t.close());

/** A frontend client that records every response, to see cookies and headers the SDK keeps to itself. */
function recordingClient(options: { tokenTransport?: 'header' | 'cookie' } = {}) {
  const responses: Response[] = [];
  const client = createClient({
    baseUrl: t.url,
    ...options,
    fetch: async (url, init) => {
      const response = await fetch(url, init);
      responses.push(response);
      return response;
    },
  });
  return { client, last: () => responses.at(-1)! };
}

describe('createClient({ tokenTransport: "header" })', () => {
  it('gets the session token at sign-in, without a cookie, and uses it for later calls', async () => {
    const email = t.email('transport');
    const user = await t.backend.users.create({ email, password: DEFAULT_PASSWORD });
    const { client, last } = recordingClient({ tokenTransport: 'header' });
    expect(client.sessionToken).toBeUndefined();
    expect(await client.auth.signIn({ email, password: DEFAULT_PASSWORD })).toMatchObject({ status: 'complete' });
    expect(last().headers.getSetCookie()).toEqual([]);
    expect(client.sessionToken).toMatch(/^ses_[0-9a-z]{26}\./);
    expect(last().headers.get('gatehouse-session-token')).toBe(client.sessionToken);
    expect((await client.me.get()).user.id).toBe(user.id);
    expect(client.lastSession).toMatchObject({ userId: user.id });
    // Signing out hands back an empty token, which the client drops.
    await client.auth.signOut();
    expect(client.sessionToken).toBeUndefined();
    expect((await client.session.get()).session).toBeNull();
  });

  it('gets the session token when a sign-up is verified', async () => {
    const email = t.email('signup-transport');
    const { client } = recordingClient({ tokenTransport: 'header' });
    const { attemptId } = await client.auth.signUp({ email, password: DEFAULT_PASSWORD });
    const message = (await t.backend.outbox.list({ to: email })).data[0]!;
    await client.auth.verifyEmail({ attemptId, code: codeIn(message.text!) });
    expect(client.sessionToken).toMatch(/^ses_/);
    expect((await client.me.get()).user.email).toBe(email);
  });

  it('without it, sign-in answers with the cookie and the client holds no token', async () => {
    const email = t.email('cookie');
    await t.backend.users.create({ email, password: DEFAULT_PASSWORD });
    for (const options of [{}, { tokenTransport: 'cookie' as const }]) {
      const { client, last } = recordingClient(options);
      await client.auth.signIn({ email, password: DEFAULT_PASSWORD });
      expect(client.sessionToken).toBeUndefined();
      expect(last().headers.get('gatehouse-session-token')).toBeNull();
      expect(last().headers.getSetCookie()).toEqual([expect.stringMatching(/^__session=ses_.*HttpOnly/)]);
    }
  });
});
