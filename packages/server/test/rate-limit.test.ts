import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRateRules } from '../src/security/rate-limit.js';
import { codeIn, DEFAULT_PASSWORD, failure, rawPost, signedInClient } from './auth-helpers.js';
import { startTestGatehouse, type TestGatehouse } from './harness.js';
import { postgresUrl, redisUrl } from './services.js';
import { startTestSmtp, type TestSmtp } from './smtp.js';

const pg = await postgresUrl();
const redis = await redisUrl();

const LIMITS = 'signInAccount=3/600,signUpIp=2/3600,resetEmail=2/3600,verifyIp=4/600';

/** A different 6-digit code than `code`. */
function wrong(code: string): string {
  return String((Number(code) + 1) % 1_000_000).padStart(6, '0');
}

/** Sign-in failures for one account until the limit answers. */
async function exceedSignIn(t: TestGatehouse) {
  const email = t.email('limited');
  await t.backend.users.create({ email, password: DEFAULT_PASSWORD });
  for (let i = 0; i < 3; i++) expect((await rawPost(t, 'auth/sign-in', { email, password: 'wrong password' })).status).toBe(401);
  const blocked = await rawPost(t, 'auth/sign-in', { email, password: DEFAULT_PASSWORD });
  expect(blocked.status).toBe(429);
  expect(blocked.body.errors?.[0]?.code).toBe('rate_limited');
  const retryAfter = Number(blocked.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThan(500);
  expect(retryAfter).toBeLessThanOrEqual(600);
  return email;
}

describe('RATE_LIMITS', () => {
  it('parses overrides and explains a bad value', () => {
    expect(parseRateRules('signInAccount=3/60').signInAccount).toEqual({ points: 3, seconds: 60 });
    expect(parseRateRules(undefined).signInAccount).toEqual({ points: 5, seconds: 900 });
    expect(() => parseRateRules('signIn=3/60')).toThrow(/RATE_LIMITS must be/);
    expect(() => parseRateRules('signInAccount=0/60')).toThrow(/RATE_LIMITS must be/);
  });
});

describe('rate limits on the main engine', () => {
  let t: TestGatehouse;
  beforeAll(async () => {
    t = await startTestGatehouse({ env: { RATE_LIMITS: LIMITS } });
  });
  afterAll(() => t.close());

  it('uses memory on PGlite and PostgreSQL on PostgreSQL', () => {
    expect(t.gatehouse.deps.rateLimiter.store).toBe(t.gatehouse.deps.engine === 'pglite' ? 'memory' : 'postgres');
  });

  it('limits sign-in per account', async () => {
    await exceedSignIn(t);
  });

  it('limits sign-up per IP', async () => {
    for (let i = 0; i < 2; i++)
      expect((await rawPost(t, 'auth/sign-up', { email: t.email(), password: DEFAULT_PASSWORD })).status).toBe(200);
    const blocked = await rawPost(t, 'auth/sign-up', { email: t.email(), password: DEFAULT_PASSWORD });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('limits password reset requests per email', async () => {
    const email = t.email('reset');
    for (let i = 0; i < 2; i++) expect((await rawPost(t, 'auth/password-reset/request', { email })).status).toBe(200);
    expect((await rawPost(t, 'auth/password-reset/request', { email })).status).toBe(429);
    // Another address is not affected.
    expect((await rawPost(t, 'auth/password-reset/request', { email: t.email('reset') })).status).toBe(200);
  });

  it('limits code checks per IP', async () => {
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await rawPost(t, 'auth/verify-email', { attemptId: `att_0000000000000000000000000${i}`, code: '123456' })).status);
    }
    expect(statuses).toEqual([400, 400, 400, 400, 429]);
  });
});

describe('per-IP limits', () => {
  let t: TestGatehouse;
  beforeAll(async () => {
    // Behind one proxy hop, so each test is its own client address.
    t = await startTestGatehouse({ env: { RATE_LIMITS: 'signInIp=3/600,resetIp=2/3600', TRUST_PROXY: '1' } });
  });
  afterAll(() => t.close());

  it('limits failed sign-ins per IP across accounts, and leaves other addresses alone', async () => {
    const from = { 'x-forwarded-for': '203.0.113.7' };
    for (let i = 0; i < 3; i++) {
      expect((await rawPost(t, 'auth/sign-in', { email: t.email('spray'), password: 'wrong password' }, from)).status).toBe(401);
    }
    const blocked = await rawPost(t, 'auth/sign-in', { email: t.email('spray'), password: 'wrong password' }, from);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    const other = await rawPost(
      t,
      'auth/sign-in',
      { email: t.email('spray'), password: 'wrong password' },
      { 'x-forwarded-for': '203.0.113.8' },
    );
    expect(other.status).toBe(401);
  });

  it('limits password-reset completions per IP, before any hashing', async () => {
    const from = { 'x-forwarded-for': '203.0.113.9' };
    const attempt = () => rawPost(t, 'auth/password-reset/complete', { token: 'A'.repeat(22), password: DEFAULT_PASSWORD }, from);
    expect((await attempt()).status).toBe(400);
    expect((await attempt()).status).toBe(400);
    expect((await attempt()).status).toBe(429);
  });
});

describe('per-address limits, whichever IPs the requests come from', () => {
  let t: TestGatehouse;
  let smtp: TestSmtp;
  beforeAll(async () => {
    smtp = await startTestSmtp();
    t = await startTestGatehouse({
      env: { SMTP_URL: smtp.url, RATE_LIMITS: 'mailAddress=2/3600,codeAddress=3/86400', TRUST_PROXY: '1' },
    });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  /** A request from its own client address, as a guesser spreading over IPs would send it. */
  let ip = 0;
  const fromNewIp = (op: string, body: Record<string, unknown>) => rawPost(t, op, body, { 'x-forwarded-for': `198.51.100.${++ip}` });

  it('mails one address only so often through sign-up and added addresses', async () => {
    const victim = t.email('victim');
    for (let i = 0; i < 2; i++) expect((await fromNewIp('auth/sign-up', { email: victim, password: DEFAULT_PASSWORD })).status).toBe(200);
    const blocked = await fromNewIp('auth/sign-up', { email: victim, password: DEFAULT_PASSWORD });
    expect(blocked.status).toBe(429);
    expect(blocked.body.errors?.[0]?.code).toBe('rate_limited');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(3000);
    // Adding the address to an account counts against the same limit.
    const adder = await signedInClient(t);
    expect((await failure(adder.client.me.emails.add({ email: victim }))).code).toBe('rate_limited');
    await smtp.waitForMessage(victim);
    await smtp.waitForMessage(victim);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(smtp.messages.filter((m) => m.to === victim)).toHaveLength(2);
    // Another address is not affected.
    expect((await fromNewIp('auth/sign-up', { email: t.email('other'), password: DEFAULT_PASSWORD })).status).toBe(200);
  });

  it('counts wrong codes per address across attempts and IPs; then even the right code waits', async () => {
    const victim = t.email('guessed');
    const first = await fromNewIp('auth/sign-up', { email: victim, password: DEFAULT_PASSWORD });
    const second = await fromNewIp('auth/sign-up', { email: victim, password: DEFAULT_PASSWORD });
    const attempts = [first, second].map((r) => (r.body.data as { attemptId: string }).attemptId);
    const codes = [codeIn((await smtp.waitForMessage(victim)).text), codeIn((await smtp.waitForMessage(victim)).text)];
    expect((await fromNewIp('auth/verify-email', { attemptId: attempts[0], code: wrong(codes[0] as string) })).status).toBe(400);
    expect((await fromNewIp('auth/verify-email', { attemptId: attempts[1], code: wrong(codes[1] as string) })).status).toBe(400);
    expect((await fromNewIp('auth/verify-email', { attemptId: attempts[0], code: wrong(codes[0] as string) })).status).toBe(400);
    const blocked = await fromNewIp('auth/verify-email', { attemptId: attempts[1], code: codes[1] });
    expect(blocked.status).toBe(429);
    expect((await t.backend.users.list({ email: victim })).data).toEqual([]);
  });

  it('lets the owner who mistypes get in', async () => {
    const owner = t.email('owner');
    const started = await fromNewIp('auth/sign-up', { email: owner, password: DEFAULT_PASSWORD });
    const attemptId = (started.body.data as { attemptId: string }).attemptId;
    const code = codeIn((await smtp.waitForMessage(owner)).text);
    for (let i = 0; i < 2; i++) expect((await fromNewIp('auth/verify-email', { attemptId, code: wrong(code) })).status).toBe(400);
    expect((await fromNewIp('auth/verify-email', { attemptId, code })).status).toBe(200);
  });
});

describe.skipIf(!pg)('rate limits in PostgreSQL (shared by every process)', () => {
  let t: TestGatehouse;
  beforeAll(async () => {
    t = await startTestGatehouse({ postgresUrl: pg as string, env: { RATE_LIMITS: LIMITS } });
  });
  afterAll(() => t.close());

  it('counts in the rate_limits table of the instance’s schema', async () => {
    expect(t.gatehouse.deps.rateLimiter.store).toBe('postgres');
    const email = await exceedSignIn(t);
    const row = await t.gatehouse.deps.db
      .selectFrom('rate_limits')
      .selectAll()
      .where('key', '=', `gatehouse_rl_signInAccount:${email}`)
      .executeTakeFirst();
    expect(row?.points).toBe(4);
  });
});

describe.skipIf(!redis)('rate limits in Redis (REDIS_URL)', () => {
  let t: TestGatehouse;
  let client: Redis;
  beforeAll(async () => {
    t = await startTestGatehouse({ env: { REDIS_URL: redis as string, RATE_LIMITS: LIMITS } });
    client = new Redis(redis as string);
  });
  afterAll(async () => {
    await t.close();
    await client.quit();
  });

  it('counts in Redis', async () => {
    expect(t.gatehouse.deps.rateLimiter.store).toBe('redis');
    const email = await exceedSignIn(t);
    const key = `gatehouse_rl_signInAccount:${email}`;
    expect(Number(await client.get(key))).toBe(4);
    expect(await client.pttl(key)).toBeGreaterThan(0);
    await client.del(key);
    // With the counter gone (as after its window), the right password works again.
    expect((await rawPost(t, 'auth/sign-in', { email, password: DEFAULT_PASSWORD })).status).toBe(200);
  });
});
