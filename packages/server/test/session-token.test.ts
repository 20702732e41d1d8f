import * as ops from '@gatehouse/contract';
import { createBackendClient, createSessionVerifier, verifySessionToken } from '@gatehouse/sdk';
import { decodeJwt, decodeProtectedHeader, generateKeyPair, type JSONWebKeySet, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintSessionToken } from '../src/features/session-token/jwt.js';
import { rotateSigningKey } from '../src/features/session-token/keys.js';
import { createSigningKeyStore } from '../src/features/session-token/store.js';
import { decrypt, encrypt } from '../src/security/encryption.js';
import { failure, signedInClient } from './auth-helpers.js';
import { startTestGatehouse, type TestGatehouse } from './harness.js';

const ISSUER = 'http://localhost:8787';

let t: TestGatehouse;
beforeAll(async () => {
  t = await startTestGatehouse();
});
afterAll(() => t.close());

async function jwks(): Promise<{ body: JSONWebKeySet; cacheControl: string | null }> {
  const response = await fetch(`${t.url}/.well-known/jwks.json`);
  expect(response.status).toBe(200);
  return { body: (await response.json()) as JSONWebKeySet, cacheControl: response.headers.get('cache-control') };
}

/** Why a verification failed, from the SDK's error. */
async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await failure(promise);
  expect(error).toMatchObject({ code: 'unauthenticated', status: 401 });
  return (error.details as { reason: string }).reason;
}

/** Replace the payload of a JWT (keeping header and signature), as a forger would. */
function withPayload(token: string, change: (claims: Record<string, unknown>) => void): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  change(claims);
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
}

describe('session JWTs', () => {
  it('mints a JWT that the SDK verifies offline against the JWKS', async () => {
    const { client, user, sessionToken } = await signedInClient(t);
    const before = Math.floor(t.clock.now().getTime() / 1000);
    const { token, expiresAt } = await client.session.token();
    const { body, cacheControl } = await jwks();
    expect(cacheControl).toMatch(/max-age=300/);
    expect(body.keys.length).toBeGreaterThan(0);
    for (const key of body.keys) {
      expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig', kid: expect.stringMatching(/^sig_/) });
      expect(key).not.toHaveProperty('d');
    }
    const claims = await verifySessionToken(token, { jwks: body }, { issuer: ISSUER, now: () => t.clock.now() });
    expect(claims).toMatchObject({ sub: user.id, sid: sessionToken.split('.')[0], iss: ISSUER });
    expect(claims.iat).toBeGreaterThanOrEqual(before);
    expect(claims.exp - claims.iat).toBe(60);
    expect(expiresAt).toBe(new Date(claims.exp * 1000).toISOString());
    expect(claims.org_id).toBeUndefined();
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'EdDSA', typ: 'JWT', kid: body.keys[0]?.kid });
  });

  it('refuses tampered, expired, wrong-issuer, wrong-key and unsigned tokens', async () => {
    const { client } = await signedInClient(t);
    const { token } = await client.session.token();
    const { body } = await jwks();
    const now = () => t.clock.now();
    const verify = (jwt: string, options = {}) => verifySessionToken(jwt, { jwks: body }, { issuer: ISSUER, now, ...options });

    expect(await refusal(verify(withPayload(token, (c) => (c.sub = 'usr_someone_else'))))).toBe('bad_signature');
    const [h, p, s] = token.split('.') as [string, string, string];
    expect(await refusal(verify(`${h}.${p}.${s.slice(0, -4)}AAAA`))).toBe('bad_signature');
    expect(await refusal(verify(token, { issuer: 'https://auth.evil.example' }))).toBe('wrong_issuer');
    expect(await refusal(verify('not-a-jwt'))).toBe('malformed');
    expect(await refusal(verify(''))).toBe('malformed');

    // Expiry: 60 s of life, plus 5 s of leeway by default.
    const exp = (await verify(token)).exp * 1000;
    expect((await verify(token, { now: () => new Date(exp + 3000) })).exp).toBe(exp / 1000);
    expect(await refusal(verify(token, { now: () => new Date(exp + 6000) }))).toBe('expired');
    expect(await refusal(verify(token, { now: () => new Date(exp + 1000), leewaySeconds: 0 }))).toBe('expired');

    // Signed by someone else's key: under our kid, and under a kid we never published.
    const { kid } = decodeProtectedHeader(token);
    const forger = await generateKeyPair('EdDSA');
    const claims = { sub: 'usr_x', sid: 'ses_x', iss: ISSUER };
    const forge = (k: string) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', kid: k }).setIssuedAt().setExpirationTime('1m').sign(forger.privateKey);
    expect(await refusal(verify(await forge(kid as string)))).toBe('bad_signature');
    expect(await refusal(verify(await forge('sig_unknown')))).toBe('unknown_key');

    // alg "none" is never accepted.
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', kid })).toString('base64url')}.${p}.`;
    expect(await refusal(verify(unsigned))).toBe('malformed');
  });

  it('refuses on the backend a token signed with our key under another issuer, a forged one and an expired one', async () => {
    const { client, user, sessionToken } = await signedInClient(t);
    const session = {
      userId: user.id,
      sessionId: sessionToken.split('.')[0] as string,
      activeOrganizationId: null,
      activeWorkspaceId: null,
    };
    // Our own signing key, but `iss` of another Gatehouse (a token from staging replayed on production).
    const deps = t.gatehouse.deps;
    const elsewhere = { ...deps, config: { ...deps.config, publicUrl: 'https://staging.example' } };
    const { token: otherIssuer } = await mintSessionToken(elsewhere, createSigningKeyStore(deps), session);
    expect(decodeJwt(otherIssuer).iss).toBe('https://staging.example');
    expect(await t.backend.sessions.verify(otherIssuer)).toEqual({ valid: false, userId: null, sessionId: null, claims: null });
    // The same token minted under our issuer is good, so only `iss` made the difference.
    const { token } = await mintSessionToken(deps, createSigningKeyStore(deps), session);
    expect((await t.backend.sessions.verify(token)).valid).toBe(true);
    expect((await t.backend.sessions.verify(withPayload(token, (c) => (c.sub = 'usr_someone_else')))).valid).toBe(false);
    const { token: fresh } = await client.session.token();
    t.clock.advance(66_000);
    expect((await t.backend.sessions.verify(fresh)).valid).toBe(false);
  });

  it('carries the active organization: org_id, org_role, org_permissions', async () => {
    const { client, user } = await signedInClient(t);
    const { organization } = await client.organizations.create({ name: 'Claims Inc' });
    await client.call(ops.frontendSetActive, { organizationId: organization.id });
    const { token } = await client.session.token();
    const claims = await verifySessionToken(token, { jwks: (await jwks()).body }, { issuer: ISSUER, now: () => t.clock.now() });
    expect(claims).toMatchObject({ sub: user.id, org_id: organization.id, org_role: 'owner' });
    expect(claims.org_permissions).toEqual(expect.arrayContaining(['members:manage']));
  });

  it('needs a signed-in user', async () => {
    const error = await failure(t.client().session.token());
    expect(error).toMatchObject({ code: 'unauthenticated', status: 401 });
  });

  it('rotates keys: old tokens still verify, new ones carry the new kid, a cached verifier refetches', async () => {
    const { client } = await signedInClient(t);
    const old = (await client.session.token()).token;
    const oldKid = decodeProtectedHeader(old).kid;
    // A verifier that fetched and cached the JWKS before the rotation.
    const verifier = createSessionVerifier({
      jwksUrl: `${t.url}/.well-known/jwks.json`,
      issuer: ISSUER,
      now: () => t.clock.now(),
      refetchCooldownSeconds: 0,
    });
    expect((await verifier.verify(old)).sub).toBeDefined();

    // What `gatehouse keys rotate-signing` does, from "another process": straight to the database.
    const { active, retired } = await rotateSigningKey(t.gatehouse.deps.db, t.gatehouse.deps.encryptionKey, t.clock.now());
    expect(retired?.id).toBe(oldKid);
    // Servers re-read the active key within seconds.
    t.clock.advance(5_001);
    const fresh = (await client.session.token()).token;
    expect(decodeProtectedHeader(fresh).kid).toBe(active.id);

    const { body } = await jwks();
    expect(body.keys.map((k) => k.kid)).toEqual(expect.arrayContaining([active.id, oldKid]));
    expect((await verifier.verify(fresh)).sid).toBeDefined();
    expect((await verifier.verify(old)).sid).toBeDefined();

    // After the grace period the retired key leaves the JWKS.
    t.clock.advance(24 * 3600_000);
    const later = await jwks();
    expect(later.body.keys.map((k) => k.kid)).toEqual([active.id]);
  });

  it('revokes a retired key: out of the JWKS and its tokens refused at once; the active key is refused (409)', async () => {
    const { client } = await signedInClient(t);
    const old = (await client.session.token()).token;
    const oldKid = decodeProtectedHeader(old).kid as string;
    expect(await failure(t.backend.signingKeys.revoke(oldKid))).toMatchObject({ status: 409, code: 'conflict' });
    const { active } = await t.backend.signingKeys.rotate();
    expect((await t.backend.sessions.verify(old)).valid).toBe(true);

    const revoked = await t.backend.signingKeys.revoke(oldKid);
    expect(revoked).toMatchObject({ id: oldKid, status: 'retired', revokedAt: expect.any(String) });
    expect(revoked.publishedUntil).toBe(revoked.revokedAt);
    expect((await t.backend.sessions.verify(old)).valid).toBe(false);
    expect((await jwks()).body.keys.map((k) => k.kid)).not.toContain(oldKid);
    // Idempotent; the new key still signs and verifies; an unknown id is 404.
    expect(await t.backend.signingKeys.revoke(oldKid)).toEqual(revoked);
    const fresh = (await client.session.token()).token;
    expect(decodeProtectedHeader(fresh).kid).toBe(active.id);
    expect((await t.backend.sessions.verify(fresh)).valid).toBe(true);
    expect(await failure(t.backend.signingKeys.revoke('sig_00000000000000000000000000'))).toMatchObject({ status: 404, code: 'not_found' });
  });

  it('makes one active key even when many first requests race', async () => {
    const other = await startTestGatehouse();
    try {
      const clients = await Promise.all([signedInClient(other), signedInClient(other)]);
      const tokens = await Promise.all(clients.flatMap(({ client }) => [client.session.token(), client.session.token()]));
      const kids = new Set(tokens.map(({ token }) => decodeProtectedHeader(token).kid));
      expect(kids.size).toBe(1);
      const rows = await other.gatehouse.deps.db.selectFrom('signing_keys').selectAll().execute();
      expect(rows).toHaveLength(1);
      // The private key is encrypted at rest, bound to its row.
      const row = rows[0]!;
      expect(row.private_key_encrypted).toMatch(/^v1\./);
      expect(row.private_key_encrypted).not.toContain('"d"');
      const jwk = JSON.parse(decrypt(other.gatehouse.deps.encryptionKey, row.private_key_encrypted, `signing_key:${row.id}`));
      expect(jwk).toHaveProperty('d');
    } finally {
      await other.close();
    }
  });
});

describe('backend sessions/verify', () => {
  it('verifies an opaque session token and a JWT; valid:false for garbage', async () => {
    const { client, user, sessionToken } = await signedInClient(t);
    const sessionId = sessionToken.split('.')[0];
    const opaque = await t.backend.sessions.verify(sessionToken);
    expect(opaque).toMatchObject({ valid: true, userId: user.id, sessionId, claims: { sub: user.id, sid: sessionId } });

    const { token } = await client.session.token();
    const jwt = await t.backend.sessions.verify(token);
    expect(jwt).toMatchObject({ valid: true, userId: user.id, sessionId, claims: { sub: user.id, sid: sessionId, iss: ISSUER } });

    const invalid = { valid: false, userId: null, sessionId: null, claims: null };
    expect(await t.backend.sessions.verify('garbage')).toEqual(invalid);
    expect(await t.backend.sessions.verify(`${sessionId}.${'a'.repeat(52)}`)).toEqual(invalid);
    expect(await t.backend.sessions.verify(withPayload(token, (c) => (c.sub = 'usr_other')))).toEqual(invalid);
    expect(await t.backend.sessions.verify('a.b.c')).toEqual(invalid);

    const wrongKey = createBackendClient({ baseUrl: t.url, secretKey: 'sk_test_wrong' });
    expect(await failure(wrongKey.sessions.verify(token))).toMatchObject({ code: 'unauthenticated', status: 401 });
  });

  it('refuses the JWT of a revoked session at once (the offline check cannot know)', async () => {
    const { client, user, sessionToken } = await signedInClient(t);
    const sessionId = sessionToken.split('.')[0] as string;
    const { token } = await client.session.token();
    expect((await t.backend.sessions.verify(token)).valid).toBe(true);
    await t.backend.users.sessions.revoke(user.id, sessionId);
    expect((await t.backend.sessions.verify(token)).valid).toBe(false);
    expect((await t.backend.sessions.verify(sessionToken)).valid).toBe(false);
    // Offline verification only proves who signed it and when; it stays good until `exp`.
    expect((await verifySessionToken(token, { jwks: (await jwks()).body }, { issuer: ISSUER, now: () => t.clock.now() })).sid).toBe(
      sessionId,
    );
  });

  it('refuses an expired JWT', async () => {
    const { client } = await signedInClient(t);
    const { token } = await client.session.token();
    t.clock.advance(66_000);
    expect((await t.backend.sessions.verify(token)).valid).toBe(false);
  });
});

describe('encryption at rest', () => {
  const key = Buffer.alloc(32, 7);

  it('round-trips with a fresh IV each time, and refuses tampering, another key or another context', () => {
    const a = encrypt(key, 'secret', 'row-1');
    const b = encrypt(key, 'secret', 'row-1');
    expect(a).not.toBe(b);
    expect(a.startsWith('v1.')).toBe(true);
    expect(decrypt(key, a, 'row-1')).toBe('secret');
    const [v, iv, ct, tag] = a.split('.') as [string, string, string, string];
    const flipped = Buffer.from(ct, 'base64url');
    flipped[0] = (flipped[0] as number) ^ 1;
    expect(() => decrypt(key, [v, iv, flipped.toString('base64url'), tag].join('.'), 'row-1')).toThrow(/modified/);
    expect(() => decrypt(Buffer.alloc(32, 8), a, 'row-1')).toThrow(/another GATEHOUSE_ENCRYPTION_KEY/);
    expect(() => decrypt(key, a, 'row-2')).toThrow();
    expect(() => decrypt(key, `v2.${iv}.${ct}.${tag}`, 'row-1')).toThrow(/version/);
    expect(() => encrypt(Buffer.alloc(16), 'x')).toThrow(/32 bytes/);
  });
});
