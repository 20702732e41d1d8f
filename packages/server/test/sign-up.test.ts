import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeIn, DEFAULT_PASSWORD, failure, rawPost } from './auth-helpers.js';
import { startTestGatehouse, type TestGatehouse } from './harness.js';
import { startTestSmtp, type TestSmtp } from './smtp.js';

let t: TestGatehouse;
let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startTestSmtp();
  // verifyAttempt above the 5 wrong tries an attempt allows, so both limits show.
  t = await startTestGatehouse({ env: { SMTP_URL: smtp.url, RATE_LIMITS: 'verifyAttempt=7/600' } });
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

/** A different 6-digit code than `code`. */
function wrong(code: string): string {
  return String((Number(code) + 1) % 1_000_000).padStart(6, '0');
}

async function startSignUp(email = t.email('signup')) {
  const client = t.client({ tokenTransport: 'header' });
  const started = await client.auth.signUp({ email, password: DEFAULT_PASSWORD, firstName: 'Grace', lastName: 'Hopper' });
  const message = await smtp.waitForMessage(email);
  return { client, email, attemptId: started.attemptId, message, code: codeIn(message.text) };
}

describe('sign-up', () => {
  it('creates no user until the emailed code is entered, then signs in', async () => {
    const { client, email, attemptId, message, code } = await startSignUp();
    expect(attemptId).toMatch(/^att_/);
    // The code is only in the body, which the outbox clears once delivered.
    expect(message.subject).toBe('Your verification code');
    expect(message.text).toContain(code);
    expect((await t.backend.users.list({ email })).data).toEqual([]);
    const result = await client.auth.verifyEmail({ attemptId, code });
    expect(result).toMatchObject({ status: 'complete', user: { email, firstName: 'Grace', lastName: 'Hopper', hasPassword: true } });
    expect(result.status === 'complete' && result.user.emails).toEqual([{ id: expect.any(String), email, verified: true, primary: true }]);
    expect(client.sessionToken).toBeTruthy();
    expect((await client.me.get()).user.email).toBe(email);
    // The chosen password works.
    expect((await t.client().auth.signIn({ email, password: DEFAULT_PASSWORD })).status).toBe('complete');
  });

  it('answers an existing account exactly like a new one and mails a notice, not a code', async () => {
    const existing = t.email('taken');
    await t.backend.users.create({ email: existing, password: DEFAULT_PASSWORD });
    const fresh = t.email('fresh');
    const a = await rawPost(t, 'auth/sign-up', { email: existing, password: DEFAULT_PASSWORD });
    const b = await rawPost(t, 'auth/sign-up', { email: fresh, password: DEFAULT_PASSWORD });
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    const shape = (r: typeof a) => JSON.stringify({ ...r.body, data: { ...(r.body.data as object), attemptId: 'x' } });
    expect(shape(a)).toBe(shape(b));
    const notice = await smtp.waitForMessage(existing);
    expect(notice.subject).toBe('You already have an account');
    expect(notice.text).not.toMatch(/\b\d{6}\b/);
    // No code can complete it.
    const attemptId = (a.body.data as { attemptId: string }).attemptId;
    const error = await failure(t.client().auth.verifyEmail({ attemptId, code: '123456' }));
    expect(error).toMatchObject({ code: 'invalid_request', status: 400 });
    expect(codeIn((await smtp.waitForMessage(fresh)).text)).toMatch(/^\d{6}$/);
  });

  it('refuses a wrong code, a reused code and an expired code with one answer', async () => {
    const first = await startSignUp();
    const wrongAnswer = await failure(t.client().auth.verifyEmail({ attemptId: first.attemptId, code: wrong(first.code) }));
    expect(wrongAnswer).toMatchObject({ code: 'invalid_request', status: 400 });
    await first.client.auth.verifyEmail({ attemptId: first.attemptId, code: first.code });
    const reused = await failure(t.client().auth.verifyEmail({ attemptId: first.attemptId, code: first.code }));
    expect(reused.message).toBe(wrongAnswer.message);

    const late = await startSignUp();
    t.clock.advance(10 * 60_000 + 1000);
    const expired = await failure(t.client().auth.verifyEmail({ attemptId: late.attemptId, code: late.code }));
    expect(expired.message).toBe(wrongAnswer.message);
    expect((await t.backend.users.list({ email: late.email })).data).toEqual([]);
  });

  it('kills a code after 5 wrong tries, then rate limits the attempt (429 + Retry-After)', async () => {
    const s = await startSignUp();
    for (let i = 0; i < 5; i++) {
      expect((await failure(t.client().auth.verifyEmail({ attemptId: s.attemptId, code: wrong(s.code) }))).status).toBe(400);
    }
    // The right code no longer works: the attempt is spent.
    expect((await failure(t.client().auth.verifyEmail({ attemptId: s.attemptId, code: s.code }))).status).toBe(400);
    expect((await failure(t.client().auth.verifyEmail({ attemptId: s.attemptId, code: s.code }))).status).toBe(400);
    const limited = await rawPost(t, 'auth/verify-email', { attemptId: s.attemptId, code: s.code });
    expect(limited.status).toBe(429);
    expect(limited.body.errors?.[0]?.code).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await t.backend.users.list({ email: s.email })).data).toEqual([]);
  });

  it('lets only the first of two sign-ups for one address create the user', async () => {
    const email = t.email('twice');
    const a = await startSignUp(email);
    const b = await startSignUp(email);
    await a.client.auth.verifyEmail({ attemptId: a.attemptId, code: a.code });
    expect((await failure(b.client.auth.verifyEmail({ attemptId: b.attemptId, code: b.code }))).code).toBe('conflict');
    expect((await t.backend.users.list({ email })).data).toHaveLength(1);
  });

  it('uses a code once even when two requests race with it', async () => {
    const s = await startSignUp();
    const results = await Promise.allSettled([
      t.client().auth.verifyEmail({ attemptId: s.attemptId, code: s.code }),
      t.client().auth.verifyEmail({ attemptId: s.attemptId, code: s.code }),
      t.client().auth.verifyEmail({ attemptId: s.attemptId, code: s.code }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((await t.backend.users.list({ email: s.email })).data).toHaveLength(1);
  });

  it('validates input: strict fields, password length, 6-digit codes', async () => {
    expect((await rawPost(t, 'auth/sign-up', { email: t.email(), password: 'short' })).status).toBe(400);
    expect((await rawPost(t, 'auth/sign-up', { email: t.email(), password: DEFAULT_PASSWORD, role: 'owner' })).status).toBe(400);
    expect((await rawPost(t, 'auth/sign-up', { email: t.email(), password: 'x'.repeat(1025) })).status).toBe(400);
    expect((await rawPost(t, 'auth/verify-email', { attemptId: 'att_x', code: 'abcdef' })).status).toBe(400);
  });
});
