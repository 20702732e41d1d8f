import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeIn, DEFAULT_PASSWORD, failure, rawPost, signedInClient } from './auth-helpers.js';
import { startTestGatehouse, type TestGatehouse } from './harness.js';
import { startTestSmtp, type TestSmtp } from './smtp.js';

let t: TestGatehouse;
let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startTestSmtp();
  t = await startTestGatehouse({ env: { SMTP_URL: smtp.url } });
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

const MINUTE = 60_000;

describe('me', () => {
  it('reads and updates my profile (only names, username and image)', async () => {
    const a = await signedInClient(t, { firstName: 'Ada' });
    const { user } = await a.client.me.get();
    expect(user).toMatchObject({ id: a.user.id, email: a.user.email, firstName: 'Ada', hasPassword: true });
    expect(user).not.toHaveProperty('privateMetadata');
    const updated = await a.client.me.update({
      firstName: 'Augusta',
      lastName: null,
      username: 'Countess_' + a.user.id.slice(-6),
      imageUrl: 'https://example.com/a.png',
    });
    expect(updated.user).toMatchObject({
      firstName: 'Augusta',
      lastName: null,
      username: `countess_${a.user.id.slice(-6)}`,
      imageUrl: 'https://example.com/a.png',
    });
    const b = await signedInClient(t);
    expect((await failure(b.client.me.update({ username: updated.user.username as string }))).code).toBe('conflict');
    const smuggled = await rawPost(t, 'me/update', { publicMetadata: { admin: true } }, { authorization: `Bearer ${a.sessionToken}` });
    expect(smuggled.status).toBe(400);
    expect((await failure(t.client().me.get())).status).toBe(401);
  });
});

describe('re-authentication rule', () => {
  it('refuses email changes 10 minutes after the password was proven, until reauthenticate', async () => {
    const a = await signedInClient(t);
    // Right after sign-in the password is fresh.
    await a.client.me.emails.add({ email: t.email('fresh') });
    t.clock.advance(10 * MINUTE + 1000);
    const stale = await failure(a.client.me.emails.add({ email: t.email('stale') }));
    expect(stale).toMatchObject({ status: 403, code: 'mfa_required' });
    expect((await failure(a.client.auth.reauthenticate({ password: 'wrong password' }))).code).toBe('invalid_credentials');
    const done = await a.client.auth.reauthenticate({ password: a.password });
    expect(done.ok).toBe(true);
    await a.client.me.emails.add({ email: t.email('after') });
  });
});

describe('me/emails', () => {
  it('adds an address only once its code is proven, then makes it primary and deletes the old one', async () => {
    const a = await signedInClient(t);
    const second = t.email('second');
    const { pendingEmail } = await a.client.me.emails.add({ email: second.toUpperCase() });
    expect(pendingEmail).toMatchObject({ id: expect.stringMatching(/^eml_/), email: second });
    // Not part of the user, and not squatting the address, until verified.
    expect((await a.client.me.get()).user.emails.map((e) => e.email)).toEqual([a.user.email]);
    const code = codeIn((await smtp.waitForMessage(second)).text);
    expect(
      (await failure(a.client.me.emails.verify({ emailId: pendingEmail.id, code: code === '000000' ? '000001' : '000000' }))).status,
    ).toBe(400);
    const verified = await a.client.me.emails.verify({ emailId: pendingEmail.id, code });
    expect(verified.user.emails).toContainEqual({ id: pendingEmail.id, email: second, verified: true, primary: false });
    expect((await failure(a.client.me.emails.verify({ emailId: pendingEmail.id, code }))).status).toBe(400);

    const primary = await a.client.me.emails.makePrimary({ emailId: pendingEmail.id });
    expect(primary.user.email).toBe(second);
    const old = primary.user.emails.find((e) => e.email === a.user.email);
    const after = await a.client.me.emails.delete({ emailId: old?.id as string });
    expect(after.user.emails.map((e) => e.email)).toEqual([second]);
    // The primary cannot go.
    expect((await failure(a.client.me.emails.delete({ emailId: pendingEmail.id }))).code).toBe('conflict');
    // Sign in with the new address.
    expect((await t.client().auth.signIn({ email: second, password: a.password })).status).toBe('complete');
    // Each change is in the audit log, about the user, with no organization (the refused delete is not).
    const events = await t.gatehouse.deps.db
      .selectFrom('audit_events')
      .select(['action', 'actor_id', 'organization_id', 'data'])
      .where('target_id', '=', a.user.id)
      .orderBy('id')
      .execute();
    expect(events).toEqual([
      { action: 'user.email_added', actor_id: a.user.id, organization_id: null, data: { emailId: pendingEmail.id } },
      { action: 'user.email_made_primary', actor_id: a.user.id, organization_id: null, data: { emailId: pendingEmail.id } },
      { action: 'user.email_deleted', actor_id: a.user.id, organization_id: null, data: { emailId: old?.id } },
    ]);
  });

  it('cannot take another account’s address: same answer, a notice to its owner, no code works', async () => {
    const a = await signedInClient(t);
    const b = await signedInClient(t);
    const { pendingEmail } = await a.client.me.emails.add({ email: b.user.email });
    const notice = await smtp.waitForMessage(b.user.email);
    expect(notice.text).not.toMatch(/\b\d{6}\b/);
    expect((await failure(a.client.me.emails.verify({ emailId: pendingEmail.id, code: '123456' }))).status).toBe(400);
    expect((await failure(a.client.me.emails.add({ email: a.user.email }))).code).toBe('conflict');
  });

  it('a pending address can be withdrawn, and B cannot verify A’s pending address', async () => {
    const a = await signedInClient(t);
    const b = await signedInClient(t);
    const address = t.email('pending');
    const { pendingEmail } = await a.client.me.emails.add({ email: address });
    const code = codeIn((await smtp.waitForMessage(address)).text);
    expect((await failure(b.client.me.emails.verify({ emailId: pendingEmail.id, code }))).status).toBe(400);
    await a.client.me.emails.delete({ emailId: pendingEmail.id });
    expect((await failure(a.client.me.emails.verify({ emailId: pendingEmail.id, code }))).status).toBe(400);
    expect((await failure(a.client.me.emails.delete({ emailId: 'eml_00000000000000000000000000' }))).status).toBe(404);
  });

  it('an added address’s code expires after 10 minutes', async () => {
    const a = await signedInClient(t);
    const address = t.email('slow');
    const { pendingEmail } = await a.client.me.emails.add({ email: address });
    const code = codeIn((await smtp.waitForMessage(address)).text);
    t.clock.advance(10 * MINUTE + 1000);
    expect((await failure(a.client.me.emails.verify({ emailId: pendingEmail.id, code }))).status).toBe(400);
  });
});

describe('passwords', () => {
  it('changing the password ends the other sessions, keeps this one', async () => {
    const a = await signedInClient(t);
    const other = t.client({ tokenTransport: 'header' });
    await other.auth.signIn({ email: a.user.email, password: a.password });
    expect((await failure(a.client.me.password.change({ currentPassword: 'not my password', newPassword: 'a new password 1' }))).code).toBe(
      'invalid_credentials',
    );
    await a.client.me.password.change({ currentPassword: a.password, newPassword: 'a new password 1' });
    expect((await failure(other.me.get())).status).toBe(401);
    expect((await a.client.me.get()).user.id).toBe(a.user.id);
    expect((await failure(t.client().auth.signIn({ email: a.user.email, password: a.password }))).code).toBe('invalid_credentials');
    expect((await t.client().auth.signIn({ email: a.user.email, password: 'a new password 1' })).status).toBe('complete');
    expect((await smtp.waitForMessage(a.user.email)).subject).toBe('Your password was changed');
  });

  it('reset: same answer for unknown emails, a single-use link, ends every session, does not sign in', async () => {
    const a = await signedInClient(t);
    const unknown = await rawPost(t, 'auth/password-reset/request', { email: t.email('ghost') });
    const known = await rawPost(t, 'auth/password-reset/request', { email: a.user.email });
    expect(unknown.status).toBe(200);
    expect(JSON.stringify(unknown.body)).toBe(JSON.stringify(known.body));
    const mail = await smtp.waitForMessage(a.user.email);
    expect(mail.subject).toBe('Reset your password');
    const token = /reset-password#token=([0-9a-z]+)/.exec(mail.text)?.[1] as string;
    expect(token).toHaveLength(26); // 128 bits in base32
    expect(mail.text).toContain('http://localhost:8787/reset-password#token=');

    const client = t.client({ tokenTransport: 'header' });
    const done = await rawPost(
      t,
      'auth/password-reset/complete',
      { token, password: 'brand new password' },
      { 'gatehouse-token-transport': 'header' },
    );
    expect(done.status).toBe(200);
    expect(done.headers.get('gatehouse-session-token')).toBeNull();
    expect(done.headers.getSetCookie()).toEqual([]);
    expect(done.body.session).toBeNull();
    expect((await failure(a.client.me.get())).status).toBe(401);
    expect((await failure(client.auth.completePasswordReset({ token, password: 'another password' }))).code).toBe('invalid_request');
    expect((await t.client().auth.signIn({ email: a.user.email, password: 'brand new password' })).status).toBe('complete');
  });

  it('reset: the answer does no work that depends on the address, so its timing tells nothing', async () => {
    const a = await signedInClient(t);
    const { db, engine } = t.gatehouse.deps;
    // While the test holds the database (PGlite) or the table of addresses (PostgreSQL), nothing
    // that looks an address up can finish: both requests are answered anyway, the mail follows.
    await db.transaction().execute(async (tx) => {
      if (engine === 'postgres') await sql`lock table user_emails in access exclusive mode`.execute(tx);
      for (const email of [a.user.email, t.email('ghost')]) {
        expect((await rawPost(t, 'auth/password-reset/request', { email })).status).toBe(200);
      }
    });
    expect((await smtp.waitForMessage(a.user.email)).subject).toBe('Reset your password');
  });

  it('a reset link expires after an hour', async () => {
    const a = await signedInClient(t);
    await t.client().auth.requestPasswordReset({ email: a.user.email });
    const token = /#token=([0-9a-z]+)/.exec((await smtp.waitForMessage(a.user.email)).text)?.[1] as string;
    t.clock.advance(61 * MINUTE);
    expect((await failure(t.client().auth.completePasswordReset({ token, password: DEFAULT_PASSWORD }))).code).toBe('invalid_request');
  });
});
