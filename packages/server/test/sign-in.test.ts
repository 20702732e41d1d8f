import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PASSWORD, failure, rawPost, signedInClient } from './auth-helpers.js';
import { startTestGatehouse, type TestGatehouse } from './harness.js';

let t: TestGatehouse;
beforeAll(async () => {
  t = await startTestGatehouse();
});
afterAll(() => t.close());

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describe('sign-in', () => {
  it('signs in with the header transport: token in a header, no cookie, a session in the envelope', async () => {
    const email = t.email('hdr');
    const user = await t.backend.users.create({ email, password: DEFAULT_PASSWORD, firstName: 'Ada' });
    const res = await rawPost(
      t,
      'auth/sign-in',
      { email: email.toUpperCase(), password: DEFAULT_PASSWORD },
      { 'gatehouse-token-transport': 'header' },
    );
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie()).toEqual([]);
    const token = res.headers.get('gatehouse-session-token');
    expect(token).toMatch(/^ses_[0-9a-z]{26}\.[0-9a-z]{52}$/);
    expect(res.body.data).toMatchObject({ status: 'complete', user: { id: user.id, email, firstName: 'Ada' } });
    expect(res.body.session).toEqual({ id: token?.split('.')[0], userId: user.id, activeOrganizationId: null, activeWorkspaceId: null });
    const me = await t.client({ sessionToken: token as string }).me.get();
    expect(me.user.id).toBe(user.id);
  });

  it('answers a wrong password, an unknown email and an unverified email identically', async () => {
    const known = t.email('known');
    await t.backend.users.create({ email: known, password: DEFAULT_PASSWORD });
    const unverified = t.email('unverified');
    await t.backend.users.create({ email: unverified, password: DEFAULT_PASSWORD, emailVerified: false });
    const answers = await Promise.all([
      rawPost(t, 'auth/sign-in', { email: known, password: 'wrong password!' }),
      rawPost(t, 'auth/sign-in', { email: t.email('nobody'), password: 'wrong password!' }),
      rawPost(t, 'auth/sign-in', { email: unverified, password: DEFAULT_PASSWORD }),
    ]);
    for (const a of answers) {
      expect(a.status).toBe(401);
      expect(a.headers.getSetCookie()).toEqual([]);
    }
    const bodies = answers.map((a) => JSON.stringify(a.body));
    expect(new Set(bodies).size).toBe(1);
    expect(answers[0]?.body.errors?.[0]).toEqual({ code: 'invalid_credentials', message: 'The email or password is incorrect.' });
  });

  it('takes about as long for an unknown email as for a wrong password (dummy argon2 verify)', async () => {
    const emails = [];
    for (let i = 0; i < 7; i++) {
      const email = t.email('timing');
      await t.backend.users.create({ email, password: DEFAULT_PASSWORD });
      emails.push(email);
    }
    const time = async (email: string) => {
      const started = performance.now();
      await rawPost(t, 'auth/sign-in', { email, password: 'not the password' });
      return performance.now() - started;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    for (const email of emails) {
      known.push(await time(email));
      unknown.push(await time(t.email('timing-unknown')));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    const ratio = median(unknown) / median(known);
    // Without the dummy verify the unknown path is ~10x faster; with it both run one argon2 verify.
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });

  it('limits failed sign-ins per account: 429 with Retry-After, even for the right password', async () => {
    const email = t.email('brute');
    await t.backend.users.create({ email, password: DEFAULT_PASSWORD });
    for (let i = 0; i < 5; i++) {
      expect((await rawPost(t, 'auth/sign-in', { email, password: `guess number ${i}` })).status).toBe(401);
    }
    const blocked = await rawPost(t, 'auth/sign-in', { email, password: DEFAULT_PASSWORD });
    expect(blocked.status).toBe(429);
    expect(blocked.body.errors?.[0]?.code).toBe('rate_limited');
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    const error = await failure(t.client().auth.signIn({ email, password: DEFAULT_PASSWORD }));
    expect(error).toMatchObject({ code: 'rate_limited', status: 429 });
    expect(error.retryAfter).toBeGreaterThan(0);
  });

  it('answers a password shorter than the policy like any wrong one, and counts it', async () => {
    const email = t.email('short');
    await t.backend.users.create({ email, password: DEFAULT_PASSWORD });
    for (const password of ['', 'short', 'x'.repeat(7), 'a', 'b']) {
      const res = await rawPost(t, 'auth/sign-in', { email, password });
      expect(res.status).toBe(401);
      expect(res.body.errors?.[0]?.code).toBe('invalid_credentials');
    }
    expect((await rawPost(t, 'auth/sign-in', { email, password: DEFAULT_PASSWORD })).status).toBe(429);
  });

  it('a success clears the account counter', async () => {
    const email = t.email('reset-counter');
    await t.backend.users.create({ email, password: DEFAULT_PASSWORD });
    for (let i = 0; i < 4; i++) await rawPost(t, 'auth/sign-in', { email, password: 'wrong password' });
    await t.client().auth.signIn({ email, password: DEFAULT_PASSWORD });
    for (let i = 0; i < 4; i++) expect((await rawPost(t, 'auth/sign-in', { email, password: 'wrong password' })).status).toBe(401);
  });

  it('makes a new session at every sign-in and ends the one the request came with', async () => {
    const a = await signedInClient(t);
    const again = await rawPost(
      t,
      'auth/sign-in',
      { email: a.user.email, password: a.password },
      { authorization: `Bearer ${a.sessionToken}`, 'gatehouse-token-transport': 'header' },
    );
    const fresh = again.headers.get('gatehouse-session-token');
    expect(fresh).toBeTruthy();
    expect(fresh).not.toBe(a.sessionToken);
    expect((await failure(t.client({ sessionToken: a.sessionToken }).me.get())).status).toBe(401);
    expect((await t.client({ sessionToken: fresh as string }).me.get()).user.id).toBe(a.user.id);
  });

  it('an expired token does not stop a new sign-in (auth/* ignores a dead credential)', async () => {
    const a = await signedInClient(t);
    await t.backend.users.sessions.revokeAll(a.user.id);
    const result = await a.client.auth.signIn({ email: a.user.email, password: a.password });
    expect(result.status).toBe('complete');
    expect(a.client.sessionToken).not.toBe(a.sessionToken);
    expect((await a.client.me.get()).user.id).toBe(a.user.id);
  });
});

describe('session tokens', () => {
  it('signs out: the old token gets 401 on the very next request', async () => {
    const a = await signedInClient(t);
    expect((await a.client.session.get()).user?.id).toBe(a.user.id);
    await a.client.auth.signOut();
    expect(a.client.sessionToken).toBeUndefined();
    const error = await failure(t.client({ sessionToken: a.sessionToken }).session.get());
    expect(error).toMatchObject({ code: 'unauthenticated', status: 401 });
    expect(await t.client().session.get()).toEqual({ session: null, user: null });
  });

  it('refuses tampered, malformed, unknown and org-token-shaped bearers with 401', async () => {
    const a = await signedInClient(t);
    const [id, secret] = a.sessionToken.split('.') as [string, string];
    const flipped = `${secret.slice(0, -1)}${secret.endsWith('a') ? 'b' : 'a'}`;
    for (const bad of [`${id}.${flipped}`, `${id}.short`, 'garbage', `ses_00000000000000000000000000.${secret}`, 'gh_live_abc:secret']) {
      const res = await rawPost(t, 'me/get', {}, { authorization: `Bearer ${bad}` });
      expect(res.status, bad).toBe(401);
      expect(res.body.errors?.[0]?.code).toBe('unauthenticated');
    }
    expect((await rawPost(t, 'me/get', {}, { authorization: 'Basic abc' })).status).toBe(401);
  });

  it('never takes a token from the query string', async () => {
    const a = await signedInClient(t);
    const response = await fetch(`${t.url}/v1/me/get?token=${a.sessionToken}&__session=${a.sessionToken}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(401);
  });

  it('writes lastActiveAt at most once a minute', async () => {
    const a = await signedInClient(t);
    const lastActive = async () => (await t.backend.users.sessions.list(a.user.id)).data[0]?.lastActiveAt;
    const first = await lastActive();
    t.clock.advance(30_000);
    await a.client.me.get();
    expect(await lastActive()).toBe(first);
    t.clock.advance(31_000);
    await a.client.me.get();
    const second = await lastActive();
    expect(new Date(second as string).getTime()).toBeGreaterThan(new Date(first as string).getTime() + 60_000);
    t.clock.advance(10_000);
    await a.client.me.get();
    expect(await lastActive()).toBe(second);
  });

  it('expires after 7 idle days, and activity slides the expiry', async () => {
    const idle = await signedInClient(t);
    const active = await signedInClient(t);
    t.clock.advance(6 * DAY);
    await active.client.me.get();
    t.clock.advance(DAY + MINUTE);
    expect((await failure(idle.client.me.get())).status).toBe(401);
    expect((await active.client.me.get()).user.id).toBe(active.user.id);
  });

  it('expires 30 days after sign-in however active', async () => {
    const a = await signedInClient(t);
    for (let day = 6; day < 30; day += 6) {
      t.clock.advance(6 * DAY);
      await a.client.me.get();
    }
    // 24 days in and active: fine. Past 30 days: over, though never idle for long.
    t.clock.advance(6 * DAY + MINUTE);
    expect((await failure(a.client.me.get())).status).toBe(401);
  });
});
