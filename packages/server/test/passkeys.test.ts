import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepExpired } from '../src/features/maintenance/sweep.js';
import { DEFAULT_PASSWORD, failure, type SignedInClient, signedInClient } from './auth-helpers.js';
import { startTestGatehouse, type TestGatehouse } from './harness.js';
import { type SoftAuthenticator, softAuthenticator } from './soft-authenticator.js';

// API tests with a software authenticator; the real browser ceremony is passkeys-browser.test.ts.
const ORIGIN = 'http://localhost:8787';
const APP_ORIGIN = 'http://localhost:3000';
const MINUTE = 60_000;

let t: TestGatehouse;
beforeAll(async () => {
  t = await startTestGatehouse({ env: { ALLOWED_ORIGINS: APP_ORIGIN } });
});
afterAll(() => t.close());

/** Add a passkey for a signed-in user through the frontend API. */
async function register(a: SignedInClient, authenticator: SoftAuthenticator, name?: string) {
  const { options } = await a.client.me.passkeys.registerOptions();
  const response = authenticator.create(options);
  return (await a.client.me.passkeys.register({ response: response as never, ...(name ? { name } : {}) })).passkey;
}

/** A user with a password and one passkey. */
async function userWithPasskey(origin = ORIGIN) {
  const a = await signedInClient(t);
  const authenticator = softAuthenticator(origin);
  const passkey = await register(a, authenticator, 'Laptop');
  return { a, authenticator, passkey };
}

async function signInOptions() {
  return (await t.client().auth.passkey.options()).options;
}

const refused = async (response: Record<string, unknown>) => {
  const error = await failure(t.client().auth.passkey.verify({ response: response as never }));
  expect([error.status, error.code]).toEqual([401, 'invalid_credentials']);
};

const storedCount = async (credentialId: string) =>
  Number(
    (
      await t.gatehouse.deps.db
        .selectFrom('passkeys')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('credential_id', '=', credentialId)
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('adding a passkey', () => {
  it('registers a discoverable, user-verified passkey and lists metadata only', async () => {
    const a = await signedInClient(t, { firstName: 'Ada' });
    const { options } = await a.client.me.passkeys.registerOptions();
    expect(options.rp).toEqual({ id: 'localhost', name: 'localhost' });
    expect(options.authenticatorSelection).toMatchObject({ residentKey: 'required', userVerification: 'required' });
    expect(Buffer.from(options.user.id, 'base64url').toString()).toBe(a.user.id);
    expect(options.excludeCredentials).toEqual([]);
    const authenticator = softAuthenticator(ORIGIN);
    const { passkey } = await a.client.me.passkeys.register({ response: authenticator.create(options) as never, name: '  Work laptop  ' });
    expect(passkey).toMatchObject({
      name: 'Work laptop',
      transports: ['internal'],
      deviceType: 'singleDevice',
      backedUp: false,
      lastUsedAt: null,
    });
    expect(passkey.id).toMatch(/^psk_/);

    const { passkeys } = await a.client.me.passkeys.list();
    const listed = await t.backend.users.passkeys.list(a.user.id);
    expect(passkeys).toEqual([passkey]);
    expect(listed).toEqual({ data: [passkey], hasMore: false, nextCursor: null });
    // Metadata only: exactly these fields, and neither the credential id nor the key anywhere.
    expect(Object.keys(passkey).sort()).toEqual(['backedUp', 'createdAt', 'deviceType', 'id', 'lastUsedAt', 'name', 'transports']);
    const row = await t.gatehouse.deps.db.selectFrom('passkeys').selectAll().where('id', '=', passkey.id).executeTakeFirstOrThrow();
    for (const text of [JSON.stringify(passkeys), JSON.stringify(listed)]) {
      expect(text).not.toContain(row.credential_id);
      expect(text).not.toContain(row.public_key);
    }
    // The next options exclude it, so the authenticator will not make a second one.
    const next = await a.client.me.passkeys.registerOptions();
    expect(next.options.excludeCredentials).toEqual([{ id: authenticator.credentialId, type: 'public-key', transports: ['internal'] }]);
  });

  it('refuses an unknown, used, expired or someone else’s challenge with 400, storing nothing', async () => {
    const a = await signedInClient(t);
    const b = await signedInClient(t);
    const check = async (client: SignedInClient, response: Record<string, unknown>, message: RegExp) => {
      const error = await failure(client.client.me.passkeys.register({ response: response as never }));
      expect([error.status, error.code]).toEqual([400, 'invalid_request']);
      expect(error.message).toMatch(message);
      expect(await storedCount(response.id as string)).toBe(0);
    };
    const { options } = await a.client.me.passkeys.registerOptions();
    const unknown = { ...options, challenge: randomBytes(32).toString('base64url') };
    await check(a, softAuthenticator(ORIGIN).create(unknown), /challenge is unknown, used or expired/);
    // B cannot answer A's challenge.
    await check(b, softAuthenticator(ORIGIN).create(options), /challenge is unknown/);
    // A's own answer works once; the same challenge again is used up.
    await a.client.me.passkeys.register({ response: softAuthenticator(ORIGIN).create(options) as never });
    await check(a, softAuthenticator(ORIGIN).create(options), /challenge is unknown, used or expired/);
    // Five minutes and a second later, a challenge is gone.
    const late = await a.client.me.passkeys.registerOptions();
    t.clock.advance(5 * MINUTE + 1000);
    await check(a, softAuthenticator(ORIGIN).create(late.options), /challenge is unknown, used or expired/);
  });

  it('refuses a wrong origin, RP id, ceremony type or a response without user verification', async () => {
    const a = await signedInClient(t);
    const cases = [
      [{ origin: 'http://evil.example' }, /origin/],
      [{ origin: 'http://localhost:9999' }, /origin/],
      [{ rpId: 'evil.example' }, /RP ID/],
      [{ type: 'webauthn.get' }, /type/],
      [{ noUserVerification: true }, /verif/],
    ] as const;
    for (const [bend, message] of cases) {
      const { options } = await a.client.me.passkeys.registerOptions();
      const response = softAuthenticator(ORIGIN).create(options, bend);
      const error = await failure(a.client.me.passkeys.register({ response: response as never }));
      expect([error.status, error.code]).toEqual([400, 'invalid_request']);
      expect(error.message).toMatch(message);
      expect(await storedCount(response.id as string)).toBe(0);
    }
    // An origin of ALLOWED_ORIGINS is as good as PUBLIC_URL's.
    expect(await register(a, softAuthenticator(APP_ORIGIN))).toMatchObject({ name: 'Passkey' });
  });

  it('refuses a credential already registered, to anyone, with 409', async () => {
    const { authenticator } = await userWithPasskey();
    const b = await signedInClient(t);
    const error = await failure(register(b, authenticator));
    expect([error.status, error.code]).toEqual([409, 'conflict']);
    expect(await storedCount(authenticator.credentialId)).toBe(1);
    expect((await b.client.me.passkeys.list()).passkeys).toEqual([]);
  });

  it('needs a recent re-authentication to add or delete one (403 mfa_required), not to list or rename', async () => {
    const { a, passkey } = await userWithPasskey();
    t.clock.advance(11 * MINUTE);
    for (const call of [
      () => a.client.me.passkeys.registerOptions(),
      () =>
        a.client.me.passkeys.register({
          response: softAuthenticator(ORIGIN).create({ challenge: 'x', rp: {}, user: { id: 'x' } }) as never,
        }),
      () => a.client.me.passkeys.delete({ passkeyId: passkey.id }),
    ]) {
      const error = await failure(call());
      expect([error.status, error.code]).toEqual([403, 'mfa_required']);
    }
    expect((await a.client.me.passkeys.list()).passkeys).toHaveLength(1);
    expect((await a.client.me.passkeys.rename({ passkeyId: passkey.id, name: 'Old laptop' })).passkey.name).toBe('Old laptop');
    await a.client.auth.reauthenticate({ password: DEFAULT_PASSWORD });
    expect(await a.client.me.passkeys.delete({ passkeyId: passkey.id })).toEqual({ id: passkey.id, deleted: true });
  });
});

describe('renaming and deleting', () => {
  it('trims names to 1–64 characters and answers 404 for a passkey not the caller’s', async () => {
    const { a, passkey } = await userWithPasskey();
    const other = await signedInClient(t);
    for (const name of ['', '   ', 'x'.repeat(65)]) {
      const error = await failure(a.client.me.passkeys.rename({ passkeyId: passkey.id, name }));
      expect([error.status, error.code]).toEqual([400, 'invalid_request']);
      const viaBackend = await failure(t.backend.users.passkeys.rename(a.user.id, passkey.id, name));
      expect([viaBackend.status, viaBackend.code]).toEqual([400, 'invalid_request']);
    }
    expect((await a.client.me.passkeys.rename({ passkeyId: passkey.id, name: ` ${'y'.repeat(64)} ` })).passkey.name).toBe('y'.repeat(64));
    expect(await t.backend.users.passkeys.rename(a.user.id, passkey.id, ' Phone ')).toMatchObject({ id: passkey.id, name: 'Phone' });
    for (const call of [
      () => other.client.me.passkeys.rename({ passkeyId: passkey.id, name: 'Mine now' }),
      () => other.client.me.passkeys.delete({ passkeyId: passkey.id }),
      () => t.backend.users.passkeys.rename(other.user.id, passkey.id, 'Mine now'),
      () => t.backend.users.passkeys.delete(other.user.id, passkey.id),
      () => t.backend.users.passkeys.delete(a.user.id, 'psk_01jd5x3k8m2q4r6t8v0w2y4a6c'),
    ]) {
      expect((await failure(call())).status).toBe(404);
    }
    const unknownUser = await failure(t.backend.users.passkeys.list('usr_01jd5x3k8m2q4r6t8v0w2y4a6c'));
    expect(unknownUser.status).toBe(404);
    expect((await a.client.me.passkeys.list()).passkeys[0]?.name).toBe('Phone');
  });

  it('deletes through the backend, with audit events for the user for every add and delete', async () => {
    const { a, passkey } = await userWithPasskey();
    const second = await register(a, softAuthenticator(ORIGIN));
    await a.client.me.passkeys.delete({ passkeyId: second.id });
    expect(await t.backend.users.passkeys.delete(a.user.id, passkey.id)).toEqual({ id: passkey.id, deleted: true });
    expect((await failure(t.backend.users.passkeys.delete(a.user.id, passkey.id))).status).toBe(404);
    expect((await t.backend.users.passkeys.list(a.user.id)).data).toEqual([]);
    const events = await t.gatehouse.deps.db
      .selectFrom('audit_events')
      .select(['action', 'actor_type', 'organization_id', 'target_type', 'data'])
      .where('target_id', '=', a.user.id)
      .orderBy('id')
      .execute();
    expect(events).toEqual([
      { action: 'user.passkey_added', actor_type: 'user', organization_id: null, target_type: 'user', data: { passkeyId: passkey.id } },
      { action: 'user.passkey_added', actor_type: 'user', organization_id: null, target_type: 'user', data: { passkeyId: second.id } },
      { action: 'user.passkey_deleted', actor_type: 'user', organization_id: null, target_type: 'user', data: { passkeyId: second.id } },
      { action: 'user.passkey_deleted', actor_type: 'admin', organization_id: null, target_type: 'user', data: { passkeyId: passkey.id } },
    ]);
  });

  it('keeps the last passkey of an account without a password (409), which the backend may still delete', async () => {
    const { a, passkey } = await userWithPasskey();
    await t.gatehouse.deps.db.updateTable('users').set({ password_hash: null }).where('id', '=', a.user.id).execute();
    const error = await failure(a.client.me.passkeys.delete({ passkeyId: passkey.id }));
    expect([error.status, error.code]).toEqual([409, 'conflict']);
    expect(await t.backend.users.passkeys.delete(a.user.id, passkey.id)).toEqual({ id: passkey.id, deleted: true });
  });
});

describe('signing in with a passkey', () => {
  it('signs in with no email typed, skipping TOTP, with a new session that counts as re-authenticated', async () => {
    const { a, authenticator, passkey } = await userWithPasskey();
    await t.backend.users.mfa.createAuthenticator(a.user.id, { secret: 'JBSWY3DPEHPK3PXP' });
    const options = await signInOptions();
    expect(options).toMatchObject({ rpId: 'localhost', userVerification: 'required' });
    expect(options.allowCredentials ?? []).toEqual([]);
    const client = t.client({ tokenTransport: 'header' });
    const result = await client.auth.passkey.verify({ response: authenticator.get(options) as never });
    expect(result).toMatchObject({ status: 'complete', user: { id: a.user.id, totpEnabled: true } });
    expect(client.sessionToken).toBeTruthy();
    expect(client.sessionToken).not.toBe(a.sessionToken);
    expect((await client.me.get()).user.id).toBe(a.user.id);
    // A passkey sign-in is a fresh proof: sensitive operations work at once.
    expect((await client.me.passkeys.registerOptions()).options.challenge).toBeTruthy();
    const [used] = (await client.me.passkeys.list()).passkeys;
    expect(used?.id).toBe(passkey.id);
    expect(used?.lastUsedAt).not.toBeNull();
  });

  it('answers 401 for an unknown, used or expired challenge', async () => {
    const { authenticator } = await userWithPasskey();
    const options = await signInOptions();
    await refused(authenticator.get({ ...options, challenge: randomBytes(32).toString('base64url') }));
    const response = authenticator.get(options);
    await t.client().auth.passkey.verify({ response: response as never });
    await refused(response); // the same assertion again
    await refused(authenticator.get(options)); // a new one on the used challenge
    const late = await signInOptions();
    await signInOptions(); // never answered: left for the sweep
    t.clock.advance(5 * MINUTE + 1000);
    await refused(authenticator.get(late));
    // Expired challenges are swept; live ones stay.
    const live = await signInOptions();
    expect((await sweepExpired(t.gatehouse.deps.db, t.clock.now())).webauthnChallenges).toBeGreaterThanOrEqual(1);
    const left = await t.gatehouse.deps.db.selectFrom('webauthn_challenges').select('expires_at').execute();
    expect(left.every((row) => row.expires_at > t.clock.now())).toBe(true);
    await t.client().auth.passkey.verify({ response: authenticator.get(live) as never });
    // A registration challenge is no sign-in challenge.
    const { a } = await userWithPasskey();
    const { options: creation } = await a.client.me.passkeys.registerOptions();
    await refused(authenticator.get({ challenge: creation.challenge, rpId: 'localhost' }));
  });

  it('answers 401 for a wrong origin or RP id, no user verification, a bad signature or a user handle not the owner’s', async () => {
    const { authenticator } = await userWithPasskey();
    const other = await userWithPasskey();
    for (const bend of [
      { origin: 'http://evil.example' },
      { origin: 'https://localhost:8787' },
      { rpId: 'evil.example' },
      { noUserVerification: true },
      { badSignature: true },
      { type: 'webauthn.create' },
      { userHandle: Buffer.from(other.a.user.id).toString('base64url') },
      { userHandle: '' },
    ]) {
      await refused(authenticator.get(await signInOptions(), bend));
    }
    // After all that, the right answer still works; an unknown credential does not.
    await t.client().auth.passkey.verify({ response: authenticator.get(await signInOptions()) as never });
    await refused(softAuthenticator(ORIGIN).get(await signInOptions(), { userHandle: Buffer.from(other.a.user.id).toString('base64url') }));
  });

  it('lets one of two concurrent submissions of an assertion through, never both', async () => {
    const { authenticator } = await userWithPasskey();
    const response = authenticator.get(await signInOptions());
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => t.client().auth.passkey.verify({ response: response as never })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('refuses a signature counter that did not grow, and leaves the stored one alone', async () => {
    const { authenticator, passkey } = await userWithPasskey();
    await t.client().auth.passkey.verify({ response: authenticator.get(await signInOptions(), { counter: 7 }) as never });
    const stored = async () =>
      (await t.gatehouse.deps.db.selectFrom('passkeys').select('sign_count').where('id', '=', passkey.id).executeTakeFirstOrThrow())
        .sign_count;
    expect(await stored()).toBe(7);
    await refused(authenticator.get(await signInOptions(), { counter: 7 })); // a clone replaying the same count
    await refused(authenticator.get(await signInOptions(), { counter: 3 }));
    expect(await stored()).toBe(7);
    await t.client().auth.passkey.verify({ response: authenticator.get(await signInOptions(), { counter: 8 }) as never });
    expect(await stored()).toBe(8);
  });

  it('refuses malformed responses with 400 before any check', async () => {
    for (const response of [{}, { id: 'a', rawId: 'a', type: 'public-key', response: { clientDataJSON: 'not base64url!' } }]) {
      const error = await failure(t.client().auth.passkey.verify({ response: response as never }));
      expect([error.status, error.code]).toEqual([400, 'invalid_request']);
    }
    // Well-formed base64url that is no client data: the uniform 401.
    await refused({ id: 'a', rawId: 'a', type: 'public-key', response: { clientDataJSON: 'e30', authenticatorData: '', signature: '' } });
  });
});
