import { createBackendClient } from '@gatehouse/sdk';
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, signedInClient } from './auth-helpers.js';
import { startTestGatehouse, type TestGatehouse } from './harness.js';

let t: TestGatehouse;
beforeAll(async () => {
  t = await startTestGatehouse();
});
afterAll(() => t.close());

describe('secret keys (backend /keys)', () => {
  it('pages through every key, newest first, with limit and cursor', async () => {
    const made = [];
    for (let i = 0; i < 5; i++) made.push((await t.backend.keys.create({ name: `page ${i}`, env: 'test' })).secretKey.id);
    const first = await t.backend.keys.list({ limit: 2 });
    expect(first.data.map((k) => k.id)).toEqual([made[4], made[3]]);
    expect(first.hasMore).toBe(true);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await t.backend.keys.list({ limit: 2, cursor: first.nextCursor! });
    expect(second.data.map((k) => k.id)).toEqual([made[2], made[1]]);

    const all = [];
    for await (const key of t.backend.keys.listAll()) all.push(key.id);
    expect(all.slice(0, 5)).toEqual([...made].reverse());
    expect(new Set(all).size).toBe(all.length);
    const last = await t.backend.keys.list({ limit: 100 });
    expect(last).toMatchObject({ hasMore: false, nextCursor: null });
    // Never a secret or its hash.
    expect(Object.keys(last.data[0]!).sort()).toEqual(['createdAt', 'env', 'id', 'lastFour', 'lastUsedAt', 'name', 'revokedAt']);
  });

  it('refuses a cursor it did not make and a limit out of range', async () => {
    expect(await failure(t.backend.keys.list({ cursor: '!!not-ours!!' }))).toMatchObject({ code: 'invalid_request', status: 400 });
    expect(await failure(t.backend.keys.list({ limit: 101 }))).toMatchObject({ code: 'invalid_request', status: 400 });
  });
});

describe('signing keys (backend /signing-keys)', () => {
  it('rotates: the new key signs at once, the old one stays published until publishedUntil', async () => {
    const { client } = await signedInClient(t);
    const before = decodeProtectedHeader((await client.session.token()).token).kid;

    const { active, retired } = await t.backend.signingKeys.rotate();
    expect(active).toMatchObject({ alg: 'EdDSA', status: 'active', retiredAt: null, publishedUntil: null });
    expect(retired).toMatchObject({ id: before, status: 'retired' });
    // The grace period is 24 h (longer than any session JWT lives).
    expect(Date.parse(retired!.publishedUntil!) - Date.parse(retired!.retiredAt!)).toBe(24 * 3600_000);

    // The process that rotated signs with the new key on the very next request: no cache to wait out.
    expect(decodeProtectedHeader((await client.session.token()).token).kid).toBe(active.id);
    const jwks = (await (await fetch(`${t.url}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toEqual([active.id, before]);
  });

  it('lists keys newest first, paged, with no key material', async () => {
    await t.backend.signingKeys.rotate();
    const { active } = await t.backend.signingKeys.rotate();
    const page = await t.backend.signingKeys.list({ limit: 2 });
    expect(page.data[0]).toEqual({
      id: active.id,
      alg: 'EdDSA',
      status: 'active',
      createdAt: active.createdAt,
      retiredAt: null,
      revokedAt: null,
      publishedUntil: null,
    });
    expect(page.data[1]?.status).toBe('retired');
    expect(page.hasMore).toBe(true);
    const rest = await t.backend.signingKeys.list({ cursor: page.nextCursor! });
    expect(rest.data.every((k) => k.status === 'retired')).toBe(true);
    expect(JSON.stringify([page, rest])).not.toMatch(/"d"|private|"x"/);
  });

  it('needs the admin secret key', async () => {
    const stranger = createBackendClient({ baseUrl: t.url, secretKey: 'sk_live_wrong' });
    expect(await failure(stranger.signingKeys.rotate())).toMatchObject({ code: 'unauthenticated', status: 401 });
    expect(await failure(stranger.signingKeys.list())).toMatchObject({ code: 'unauthenticated', status: 401 });
  });
});
