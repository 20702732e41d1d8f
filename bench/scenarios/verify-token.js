// verifySessionToken of @gatehouse/sdk (offline JWT check against a JWKS held in memory): what a
// SaaS server pays per request instead of calling Gatehouse. In-process, so the engine does not matter.
import { decodeJwt } from 'jose';
import { createSessionVerifier, verifySessionToken } from '../../packages/sdk/dist/index.js';
import { timeLoop } from '../lib/measure.js';
import { runTag } from '../lib/seed.js';
import { sessionHeaders, signedInUsers } from '../lib/sessions.js';
import { expectOk, missingRoutes } from '../lib/target.js';

/** @type {import('../lib/types.js').Scenario} */
export default {
  name: 'verify-token',
  title: 'verifySessionToken (SDK, local JWKS, in-process)',
  kind: 'custom',
  once: true,
  unavailable: (gatehouse) =>
    missingRoutes(gatehouse, [
      ['POST', '/v1/auth/sign-in'],
      ['POST', '/v1/session/token'],
      ['GET', '/.well-known/jwks.json'],
    ]),

  async run(gatehouse, options) {
    const [user] = await signedInUsers(gatehouse, 1, `jwt-${runTag()}`);
    if (!user) throw new Error('no user');
    const minted = expectOk(await gatehouse.request('POST', '/v1/session/token', {}, sessionHeaders(user.token)), 'POST /v1/session/token');
    const token = minted.data.token;
    const jwks = expectOk(await gatehouse.request('GET', '/.well-known/jwks.json'), 'GET /.well-known/jwks.json');
    // The issuer is the server's PUBLIC_URL; read it from the token, then verify it like an app would.
    const issuer = decodeJwt(token).iss;
    const claims = await verifySessionToken(token, { jwks }, { issuer });
    if (claims.sub !== user.userId) throw new Error(`the JWT's sub is ${claims.sub}, expected ${user.userId}`);
    const seconds = Math.max(2, options.duration / 2);
    const oneShot = await timeLoop(() => verifySessionToken(token, { jwks }, { issuer }), seconds);
    const verifier = createSessionVerifier({ jwks, issuer });
    const reused = await timeLoop(() => verifier.verify(token), seconds);
    return {
      'verifySessionToken ops/s': oneShot.perSec,
      'verifySessionToken p50 µs': Math.round(oneShot.p50 * 1000),
      'createSessionVerifier().verify ops/s': reused.perSec,
      'verify p50 µs': Math.round(reused.p50 * 1000),
      'verify p99 µs': Math.round(reused.p99 * 1000),
    };
  },
};
