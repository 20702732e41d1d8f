import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCodeAt, totpStep } from '../src/security/totp.js';
import { DEFAULT_PASSWORD, failure, rawPost, signedInClient } from './auth-helpers.js';
import { startTestGatehouse, type TestGatehouse } from './harness.js';

let t: TestGatehouse;
beforeAll(async () => {
  t = await startTestGatehouse();
});
afterAll(() => t.close());

const SEED_SECRET = 'JBSWY3DPEHPK3PXP';
const STEP_MS = 30_000;
const MINUTE = 60_000;

/** A user with a password and the seed's authenticator, made through the backend API. */
async function userWithTotp(secret = SEED_SECRET) {
  const email = t.email('mfa');
  const user = await t.backend.users.create({ email, password: DEFAULT_PASSWORD });
  const setup = await t.backend.users.mfa.createAuthenticator(user.id, { secret });
  return { email, user, setup, secret };
}

/** Sign in with the password: the attempt waiting for the second factor. */
async function passwordStep(email: string) {
  const client = t.client({ tokenTransport: 'header' });
  const result = await client.auth.signIn({ email, password: DEFAULT_PASSWORD });
  if (result.status !== 'needs_second_factor') throw new Error(`expected needs_second_factor, got ${result.status}`);
  return { client, attemptId: result.attemptId, factors: result.factors };
}

const codeNow = (secret: string, offsetMs = 0) => totpCodeAt(secret, new Date(t.clock.now().getTime() + offsetMs));

describe('TOTP (RFC 6238)', () => {
  // RFC 6238 Appendix B, SHA-1: the secret is the ASCII of "12345678901234567890"; 6-digit codes
  // are the last 6 digits of the 8-digit ones there.
  const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
  it.each([
    [59, '287082'],
    [1111111109, '081804'],
    [1111111111, '050471'],
    [1234567890, '005924'],
    [2000000000, '279037'],
    [20000000000, '353130'],
  ])('at %i s the code is %s', (seconds, code) => {
    const at = new Date(seconds * 1000);
    expect(totpCodeAt(RFC_SECRET, at)).toBe(code);
    expect(totpStep(RFC_SECRET, code, at)).toBe(Math.floor(seconds / 30));
  });

  it('accepts the steps next to now and nothing further', () => {
    const now = new Date(1_700_000_015_000);
    const step = Math.floor(now.getTime() / STEP_MS);
    expect(totpStep(SEED_SECRET, totpCodeAt(SEED_SECRET, new Date(now.getTime() - STEP_MS)), now)).toBe(step - 1);
    expect(totpStep(SEED_SECRET, totpCodeAt(SEED_SECRET, new Date(now.getTime() + STEP_MS)), now)).toBe(step + 1);
    expect(totpStep(SEED_SECRET, totpCodeAt(SEED_SECRET, new Date(now.getTime() - 2 * STEP_MS)), now)).toBeUndefined();
    expect(totpStep(SEED_SECRET, totpCodeAt(SEED_SECRET, new Date(now.getTime() + 2 * STEP_MS)), now)).toBeUndefined();
  });
});

describe('backend: users.mfa', () => {
  it('creates an authenticator from the seed secret, then refuses a second one with 409', async () => {
    const { user, setup } = await userWithTotp();
    expect(setup.id).toMatch(/^mfa_/);
    expect(setup.otpUrl).toMatch(/^otpauth:\/\/totp\/localhost:mfa-[^?]+\?/);
    expect(new URL(setup.otpUrl).searchParams.get('secret')).toBe(SEED_SECRET);
    expect(new URL(setup.otpUrl).searchParams.get('issuer')).toBe('localhost');
    expect(await t.backend.users.get(user.id)).toMatchObject({ totpEnabled: true, backupCodesRemaining: 0 });
    const again = await failure(t.backend.users.mfa.createAuthenticator(user.id, { secret: SEED_SECRET }));
    expect([again.status, again.code]).toEqual([409, 'authenticator_exists']);
    // Deleted, it may be made again; spaces, dashes and case do not matter.
    expect(await t.backend.users.mfa.deleteAuthenticator(user.id)).toEqual({ deleted: true });
    expect(await t.backend.users.mfa.deleteAuthenticator(user.id)).toEqual({ deleted: false });
    expect(await t.backend.users.get(user.id)).toMatchObject({ totpEnabled: false });
    const spaced = await t.backend.users.mfa.createAuthenticator(user.id, { secret: 'jbsw y3dp-ehpk 3pxp', accountName: 'Ada at Acme' });
    expect(decodeURIComponent(spaced.otpUrl)).toContain('localhost:Ada at Acme');
  });

  it('refuses a secret that is not base32 or shorter than 80 bits, and an unknown user', async () => {
    const user = await t.backend.users.create({ email: t.email() });
    for (const secret of ['JBSWY3DPEHPK3PX1', 'JBSWY3DPEHPK3PX', 'not base32!']) {
      const refused = await failure(t.backend.users.mfa.createAuthenticator(user.id, { secret }));
      expect([refused.status, refused.code]).toEqual([400, 'invalid_request']);
    }
    expect(await t.backend.users.get(user.id)).toMatchObject({ totpEnabled: false });
    const missing = await failure(t.backend.users.mfa.createAuthenticator('usr_00000000000000000000000000', { secret: SEED_SECRET }));
    expect(missing.status).toBe(404);
  });

  it('regenerates 10 backup codes, shown once; earlier ones stop working', async () => {
    const { email, user } = await userWithTotp();
    const first = await t.backend.users.mfa.regenerateBackupCodes(user.id);
    expect(first.backupCodes).toHaveLength(10);
    expect(new Set(first.backupCodes).size).toBe(10);
    for (const code of first.backupCodes) expect(code).toMatch(/^[0-9a-z]{5}-[0-9a-z]{5}$/);
    expect(await t.backend.users.get(user.id)).toMatchObject({ backupCodesRemaining: 10 });
    const second = await t.backend.users.mfa.regenerateBackupCodes(user.id);
    const { client, attemptId } = await passwordStep(email);
    const old = await failure(client.auth.secondFactor({ attemptId, code: first.backupCodes[0] as string }));
    expect(old.code).toBe('invalid_credentials');
    expect((await client.auth.secondFactor({ attemptId, code: second.backupCodes[0] as string })).status).toBe('complete');
  });
});

describe('sign-in with a second factor', () => {
  it('asks for it after the password, and finishes with a TOTP code', async () => {
    const { email, secret } = await userWithTotp();
    const { client, attemptId, factors } = await passwordStep(email);
    expect(attemptId).toMatch(/^att_/);
    expect(factors).toEqual(['totp']);
    // No session yet.
    expect(client.sessionToken).toBeUndefined();
    const done = await client.auth.secondFactor({ attemptId, code: codeNow(secret) });
    expect(done).toMatchObject({ status: 'complete', user: { email, totpEnabled: true } });
    expect(client.sessionToken).toBeTruthy();
    expect((await client.me.get()).user.email).toBe(email);
  });

  it('accepts a code once: a replay, even in another attempt, is refused; the next step works', async () => {
    const { email, secret } = await userWithTotp();
    const code = codeNow(secret);
    const first = await passwordStep(email);
    expect((await first.client.auth.secondFactor({ attemptId: first.attemptId, code })).status).toBe('complete');
    const second = await passwordStep(email);
    expect((await failure(second.client.auth.secondFactor({ attemptId: second.attemptId, code }))).code).toBe('invalid_credentials');
    // An older step's code is no good either, once a later one was used.
    expect((await failure(second.client.auth.secondFactor({ attemptId: second.attemptId, code: codeNow(secret, -STEP_MS) }))).code).toBe(
      'invalid_credentials',
    );
    t.clock.advance(STEP_MS);
    expect((await second.client.auth.secondFactor({ attemptId: second.attemptId, code: codeNow(secret) })).status).toBe('complete');
  });

  it('lets exactly one of many concurrent requests with the same code through', async () => {
    const { email, secret } = await userWithTotp();
    // One after another: concurrent sign-ins would count against the account limit while in flight.
    const attempts = [];
    for (let i = 0; i < 6; i++) attempts.push(await passwordStep(email));
    const code = codeNow(secret);
    const results = await Promise.all(
      attempts.map((a) => rawPost(t, 'auth/second-factor', { attemptId: a.attemptId, code }, { 'gatehouse-token-transport': 'header' })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401, 401, 401, 401]);
  });

  it('accepts the code of the step before (a slow clock), not two steps away', async () => {
    const { email, secret } = await userWithTotp();
    const { client, attemptId } = await passwordStep(email);
    expect((await failure(client.auth.secondFactor({ attemptId, code: codeNow(secret, -2 * STEP_MS) }))).code).toBe('invalid_credentials');
    expect((await client.auth.secondFactor({ attemptId, code: codeNow(secret, -STEP_MS) })).status).toBe('complete');
  });

  it('ends an attempt after 5 wrong codes and after 5 minutes', async () => {
    const { email, secret } = await userWithTotp();
    const wrongCode = String((Number(codeNow(secret)) + 1) % 1_000_000).padStart(6, '0');
    const { client, attemptId } = await passwordStep(email);
    for (let i = 0; i < 5; i++)
      expect((await failure(client.auth.secondFactor({ attemptId, code: wrongCode }))).code).toBe('invalid_credentials');
    expect((await failure(client.auth.secondFactor({ attemptId, code: codeNow(secret) }))).code).toBe('invalid_credentials');

    const later = await passwordStep(email);
    t.clock.advance(5 * MINUTE + 1000);
    expect((await failure(later.client.auth.secondFactor({ attemptId: later.attemptId, code: codeNow(secret) }))).code).toBe(
      'invalid_credentials',
    );
    // A new sign-in starts over.
    const fresh = await passwordStep(email);
    expect((await fresh.client.auth.secondFactor({ attemptId: fresh.attemptId, code: codeNow(secret) })).status).toBe('complete');
  });

  it('takes a backup code (any case, with or without its dash) once', async () => {
    const { email, user } = await userWithTotp();
    const { backupCodes } = await t.backend.users.mfa.regenerateBackupCodes(user.id);
    const code = backupCodes[3] as string;
    const { client, attemptId, factors } = await passwordStep(email);
    expect(factors).toEqual(['totp', 'backup_code']);
    const done = await client.auth.secondFactor({ attemptId, code: code.replace('-', '').toUpperCase() });
    expect(done).toMatchObject({ status: 'complete', user: { backupCodesRemaining: 9 } });
    const again = await passwordStep(email);
    expect((await failure(again.client.auth.secondFactor({ attemptId: again.attemptId, code }))).code).toBe('invalid_credentials');
  });

  it('limits wrong codes per user across attempts', async () => {
    const limited = await startTestGatehouse({ env: { RATE_LIMITS: 'secondFactorUser=3/900' } });
    try {
      const email = limited.email('guess');
      const user = await limited.backend.users.create({ email, password: DEFAULT_PASSWORD });
      await limited.backend.users.mfa.createAuthenticator(user.id, { secret: SEED_SECRET });
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const started = await rawPost(limited, 'auth/sign-in', { email, password: DEFAULT_PASSWORD });
        const attemptId = (started.body.data as { attemptId: string }).attemptId;
        statuses.push((await rawPost(limited, 'auth/second-factor', { attemptId, code: '000000' })).status);
      }
      expect(statuses.slice(0, 3).every((s) => s === 401)).toBe(true);
      expect(statuses[3]).toBe(429);
    } finally {
      await limited.close();
    }
  });
});

describe('me/mfa', () => {
  it('enrols TOTP with a QR code, counted only after a code from the app', async () => {
    const a = await signedInClient(t);
    const enrolment = await a.client.me.mfa.totp.enroll();
    expect(enrolment.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(enrolment.otpUrl).toContain(`secret=${enrolment.secret}`);
    expect(enrolment.qrSvg).toMatch(/^<svg[^>]+xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect((await a.client.me.get()).user.totpEnabled).toBe(false);
    // Not yet counted: sign-in needs no second factor.
    expect((await t.client().auth.signIn({ email: a.user.email, password: a.password })).status).toBe('complete');
    const wrongCode = String((Number(codeNow(enrolment.secret)) + 1) % 1_000_000).padStart(6, '0');
    expect((await failure(a.client.me.mfa.totp.verify({ code: wrongCode }))).code).toBe('invalid_request');
    const { user } = await a.client.me.mfa.totp.verify({ code: codeNow(enrolment.secret) });
    expect(user.totpEnabled).toBe(true);
    expect((await t.client().auth.signIn({ email: a.user.email, password: a.password })).status).toBe('needs_second_factor');
    expect((await failure(a.client.me.mfa.totp.enroll())).code).toBe('authenticator_exists');
  });

  it('needs a recent re-authentication to enrol, delete or make backup codes; a code re-authenticates', async () => {
    const a = await signedInClient(t);
    const { secret } = await a.client.me.mfa.totp.enroll();
    await a.client.me.mfa.totp.verify({ code: codeNow(secret) });
    t.clock.advance(11 * MINUTE);
    for (const call of [() => a.client.me.mfa.totp.delete(), () => a.client.me.mfa.backupCodes.regenerate()]) {
      expect((await failure(call())).code).toBe('mfa_required');
    }
    expect((await failure(a.client.auth.reauthenticate({ code: '000000' }))).code).toBe('invalid_credentials');
    await a.client.auth.reauthenticate({ code: codeNow(secret) });
    const { backupCodes } = await a.client.me.mfa.backupCodes.regenerate();
    expect(backupCodes).toHaveLength(10);
    t.clock.advance(11 * MINUTE);
    // A backup code re-authenticates too, and is used up by it.
    await a.client.auth.reauthenticate({ code: backupCodes[0] as string });
    expect((await failure(a.client.auth.reauthenticate({ code: backupCodes[0] as string }))).code).toBe('invalid_credentials');
    const { user } = await a.client.me.mfa.totp.delete();
    expect(user).toMatchObject({ totpEnabled: false, backupCodesRemaining: 9 });
    expect((await t.client().auth.signIn({ email: a.user.email, password: a.password })).status).toBe('complete');
  });

  it('writes an audit event for the user on each change', async () => {
    const a = await signedInClient(t);
    const { secret } = await a.client.me.mfa.totp.enroll();
    await a.client.me.mfa.totp.verify({ code: codeNow(secret) });
    await a.client.me.mfa.backupCodes.regenerate();
    await a.client.me.mfa.totp.delete();
    await t.backend.users.mfa.createAuthenticator(a.user.id, { secret: SEED_SECRET });
    const events = await t.gatehouse.deps.db
      .selectFrom('audit_events')
      .select(['action', 'actor_type', 'organization_id'])
      .where('target_id', '=', a.user.id)
      .orderBy('id')
      .execute();
    expect(events).toEqual([
      { action: 'user.totp_enabled', actor_type: 'user', organization_id: null },
      { action: 'user.backup_codes_regenerated', actor_type: 'user', organization_id: null },
      { action: 'user.totp_disabled', actor_type: 'user', organization_id: null },
      { action: 'user.totp_enabled', actor_type: 'admin', organization_id: null },
    ]);
  });

  it('stores the secret encrypted and the backup codes hashed', async () => {
    const { user } = await userWithTotp();
    const { backupCodes } = await t.backend.users.mfa.regenerateBackupCodes(user.id);
    const db = t.gatehouse.deps.db;
    const row = await db.selectFrom('totp_authenticators').selectAll().where('user_id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.secret_encrypted).toMatch(/^v1\./);
    expect(row.secret_encrypted).not.toContain(SEED_SECRET);
    const hashes = (await db.selectFrom('backup_codes').select('code_hash').where('user_id', '=', user.id).execute()).map(
      (r) => r.code_hash,
    );
    for (const code of backupCodes) {
      expect(hashes.some((h) => h.includes(code.replace('-', '')))).toBe(false);
    }
  });
});
