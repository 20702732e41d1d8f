import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, signedInClient } from './auth-helpers.js';
import { startTestGatehouse, type TestGatehouse } from './harness.js';

let t: TestGatehouse;
beforeAll(async () => {
  t = await startTestGatehouse();
});
afterAll(() => t.close());

const DAY = 24 * 60 * 60_000;

/** A second session of the same user, signed in with the header transport. */
async function anotherSession(email: string, password: string) {
  const client = t.client({ tokenTransport: 'header', headers: { 'user-agent': 'second-device/1.0' } });
  await client.auth.signIn({ email, password });
  return client;
}

describe('backend user sessions', () => {
  it('lists active sessions newest activity first, with the Session shape', async () => {
    const a = await signedInClient(t);
    t.clock.advance(2 * 60_000);
    const second = await anotherSession(a.user.email, a.password);
    const list = await t.backend.users.sessions.list(a.user.id);
    expect(list.hasMore).toBe(false);
    expect(list.data).toHaveLength(2);
    const [newest, oldest] = list.data;
    expect(newest?.id).toBe(second.sessionToken?.split('.')[0]);
    expect(oldest?.id).toBe(a.sessionToken.split('.')[0]);
    expect(newest).toEqual({
      id: expect.stringMatching(/^ses_/),
      userId: a.user.id,
      status: 'active',
      createdAt: expect.any(String),
      lastActiveAt: expect.any(String),
      expiresAt: expect.any(String),
      ip: expect.any(String),
      userAgent: 'second-device/1.0',
      current: false,
    });
    expect(JSON.stringify(list)).not.toContain(a.sessionToken.split('.')[1]);
    // Activity moves a session to the front.
    t.clock.advance(2 * 60_000);
    await a.client.me.get();
    expect((await t.backend.users.sessions.list(a.user.id)).data[0]?.id).toBe(oldest?.id);
    // Keyset pages.
    const first = await t.backend.users.sessions.list(a.user.id, { limit: 1 });
    expect(first.hasMore).toBe(true);
    const rest = await t.backend.users.sessions.list(a.user.id, { limit: 1, cursor: first.nextCursor as string });
    expect(rest.data.map((s) => s.id)).toEqual([newest?.id]);
    expect(rest.hasMore).toBe(false);
  });

  it('revokes idempotently: 200 with the final state every time, and the token dies at once', async () => {
    const a = await signedInClient(t);
    const sessionId = a.sessionToken.split('.')[0] as string;
    const once = await t.backend.users.sessions.revoke(a.user.id, sessionId);
    expect(once).toMatchObject({ id: sessionId, status: 'revoked', current: false });
    expect(await t.backend.users.sessions.revoke(a.user.id, sessionId)).toEqual(once);
    // Audited once (a repeated revoke changes nothing and records nothing).
    const events = await t.gatehouse.deps.db
      .selectFrom('audit_events')
      .select(['action', 'actor_type'])
      .where('target_id', '=', sessionId)
      .execute();
    expect(events).toEqual([{ action: 'session.revoked', actor_type: 'admin' }]);
    expect((await failure(a.client.me.get())).status).toBe(401);
    expect((await t.backend.users.sessions.list(a.user.id)).data).toEqual([]);
    expect((await t.backend.users.sessions.list(a.user.id, { includeExpired: true })).data).toEqual([]);
  });

  it('answers 404 for an unknown id, a malformed id, or another user’s session', async () => {
    const a = await signedInClient(t);
    const b = await signedInClient(t);
    const bSession = b.sessionToken.split('.')[0] as string;
    expect((await failure(t.backend.users.sessions.revoke(a.user.id, bSession))).status).toBe(404);
    expect((await failure(t.backend.users.sessions.revoke(a.user.id, 'ses_00000000000000000000000000'))).status).toBe(404);
    expect((await failure(t.backend.users.sessions.revoke(a.user.id, 'nope'))).status).toBe(404);
    expect((await failure(t.backend.users.sessions.list('usr_00000000000000000000000000'))).status).toBe(404);
    // B's session is untouched.
    expect((await b.client.me.get()).user.id).toBe(b.user.id);
  });

  it('revoke-all counts only sessions that were still active; includeExpired lists expired ones', async () => {
    const a = await signedInClient(t);
    t.clock.advance(8 * DAY); // the first session expires (idle)
    await anotherSession(a.user.email, a.password);
    await anotherSession(a.user.email, a.password);
    expect((await t.backend.users.sessions.list(a.user.id)).data).toHaveLength(2);
    const all = await t.backend.users.sessions.list(a.user.id, { includeExpired: true });
    expect(all.data.map((s) => s.status)).toEqual(['active', 'active', 'expired']);
    expect(await t.backend.users.sessions.revokeAll(a.user.id)).toEqual({ revoked: 2 });
    expect(await t.backend.users.sessions.revokeAll(a.user.id)).toEqual({ revoked: 0 });
  });

  it('deleting the user deletes their sessions', async () => {
    const a = await signedInClient(t);
    await t.backend.users.delete(a.user.id);
    expect((await failure(a.client.me.get())).status).toBe(401);
  });
});

describe('me/sessions', () => {
  it('lists my sessions with `current`, revokes one and the others', async () => {
    const a = await signedInClient(t);
    const second = await anotherSession(a.user.email, a.password);
    const third = await anotherSession(a.user.email, a.password);
    const mine = await a.client.me.sessions.list();
    expect(mine.sessions).toHaveLength(3);
    expect(mine.sessions.filter((s) => s.current).map((s) => s.id)).toEqual([a.sessionToken.split('.')[0]]);
    const secondId = second.sessionToken?.split('.')[0] as string;
    const revoked = await a.client.me.sessions.revoke({ sessionId: secondId });
    expect(revoked.session).toMatchObject({ id: secondId, status: 'revoked' });
    expect((await a.client.me.sessions.revoke({ sessionId: secondId })).session.status).toBe('revoked');
    expect((await failure(second.me.get())).status).toBe(401);
    expect(await a.client.me.sessions.revokeOthers()).toEqual({ revoked: 1 });
    expect((await failure(third.me.get())).status).toBe(401);
    expect((await a.client.me.sessions.list()).sessions.map((s) => s.current)).toEqual([true]);
  });

  it('a session of user A cannot touch user B’s sessions (404)', async () => {
    const a = await signedInClient(t);
    const b = await signedInClient(t);
    const error = await failure(a.client.me.sessions.revoke({ sessionId: b.sessionToken.split('.')[0] as string }));
    expect(error).toMatchObject({ status: 404, code: 'not_found' });
    expect((await b.client.me.get()).user.id).toBe(b.user.id);
  });

  it('revoking my current session signs me out', async () => {
    const a = await signedInClient(t);
    await a.client.me.sessions.revoke({ sessionId: a.sessionToken.split('.')[0] as string });
    expect(a.client.sessionToken).toBeUndefined();
    expect((await failure(t.client({ sessionToken: a.sessionToken }).me.get())).status).toBe(401);
  });
});
