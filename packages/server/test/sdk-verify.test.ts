import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySessionToken } from '@gatehouse/sdk';
import type { JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, signedInClient } from './auth-helpers.js';
import { startTestGatehouse, type TestGatehouse } from './harness.js';

/**
 * Gatehouse behind a front door that counts JWKS fetches: PUBLIC_URL is the front door, as in a
 * real deployment, so the JWKS URL names the issuer.
 */
let t: TestGatehouse;
let front: Server;
let publicUrl: string;
let jwksFetches = 0;

beforeAll(async () => {
  front = createServer(async (req, res) => {
    jwksFetches++;
    const upstream = await fetch(`${t.url}${req.url}`);
    res.writeHead(upstream.status, { 'content-type': 'application/json' });
    res.end(await upstream.text());
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  publicUrl = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
  t = await startTestGatehouse({ env: { PUBLIC_URL: publicUrl } });
});
afterAll(async () => {
  await t.close();
  await new Promise((resolve) => front.close(resolve));
});

/** Why a verification failed, from the SDK's error (`undefined` when it gives none). */
async function reason(promise: Promise<unknown>): Promise<string | undefined> {
  return ((await failure(promise)).details as { reason?: string } | undefined)?.reason;
}

describe('verifySessionToken', () => {
  it('checks iss by default against the JWKS URL, and fetches the JWKS once for many tokens', async () => {
    const jwksUrl = `${publicUrl}/.well-known/jwks.json`;
    const before = jwksFetches;
    for (let i = 0; i < 5; i++) {
      const { client, user } = await signedInClient(t);
      const { token } = await client.session.token();
      const claims = await verifySessionToken(token, { jwksUrl });
      expect(claims).toMatchObject({ sub: user.id, iss: publicUrl });
    }
    expect(jwksFetches - before).toBe(1);
  });

  it('refuses a token whose issuer is not the Gatehouse named by the JWKS URL', async () => {
    const { client } = await signedInClient(t);
    const { token } = await client.session.token();
    // The same keys reached under another name: its tokens say `iss: publicUrl`, not this URL.
    expect(await reason(verifySessionToken(token, { jwksUrl: `${t.url}/.well-known/jwks.json` }))).toBe('wrong_issuer');
    expect(
      await reason(verifySessionToken(token, { jwksUrl: `${publicUrl}/.well-known/jwks.json` }, { issuer: 'https://evil.example' })),
    ).toBe('wrong_issuer');
  });

  it('requires the issuer with a bare JWKS, which cannot name it', async () => {
    const { client } = await signedInClient(t);
    const { token } = await client.session.token();
    const jwks = (await (await fetch(`${t.url}/.well-known/jwks.json`)).json()) as JSONWebKeySet;
    await expect(verifySessionToken(token, { jwks })).rejects.toThrow(/Pass `issuer`/);
    expect((await verifySessionToken(token, { jwks }, { issuer: publicUrl })).iss).toBe(publicUrl);
  });
});
