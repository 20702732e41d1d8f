import * as ops from '@gatehouse/contract';
// Types only: the module is imported on the first passkey request (Node keeps it), since loading it
// takes about half a second that every start would otherwise pay.
import type { AuthenticatorTransportFuture, generateAuthenticationOptions, verifyAuthenticationResponse } from '@simplewebauthn/server';
import type { Context, Hono } from 'hono';
import type { z } from 'zod';
import type { Deps } from '../../deps.js';
import { bindFrontend } from '../../http/bind.js';
import type { AppEnv } from '../../http/context.js';
import { ApiError } from '../../http/errors.js';
import { challengeOf, newChallenge, userHandleOf } from '../../security/webauthn.js';
import { completeSignIn } from '../auth/sign-in.js';
import * as pq from './queries.js';

type AuthenticationResponse = z.output<typeof ops.PasskeyAuthenticationResponse>;

/** One answer for every failed passkey sign-in: which check failed is logged, never told. */
function passkeyRefused(): ApiError {
  return new ApiError('invalid_credentials', 'The passkey could not sign you in. Start again with new options.');
}

/** Sign-in with a discoverable passkey: options (a challenge, no credentials listed) and verify. */
export function registerPasskeySignInRoutes(app: Hono<AppEnv>, deps: Deps): void {
  const { db, clock, config, rateLimiter } = deps;

  /**
   * The user id a sign-in assertion proves, or a reason it proves nothing. Order matters: the
   * challenge is used up first, so a refused assertion can never be retried.
   */
  async function verifyAssertion(response: AuthenticationResponse): Promise<{ userId: string } | { refused: string }> {
    const challenge = challengeOf(response.response.clientDataJSON);
    if (!challenge) return { refused: 'malformed client data' };
    if (!(await pq.consumeChallenge(db, challenge, 'authentication', null, clock.now()))) {
      return { refused: 'challenge unknown, used or expired' };
    }
    const passkey = await pq.findPasskeyByCredentialId(db, response.id);
    if (!passkey) return { refused: 'unknown credential' };
    // A discoverable passkey names its user; it must be the credential's owner (WebAuthn §7.2 step 6).
    if (response.response.userHandle !== userHandleOf(passkey.user_id)) return { refused: 'user handle mismatch' };
    let verified: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
    try {
      verified = await (await import('@simplewebauthn/server')).verifyAuthenticationResponse({
        response: response as Parameters<typeof verifyAuthenticationResponse>[0]['response'],
        expectedChallenge: challenge,
        expectedOrigin: config.allowedOrigins,
        expectedRPID: config.rpId,
        credential: {
          id: passkey.credential_id,
          publicKey: Buffer.from(passkey.public_key, 'base64url'),
          // The library refuses a counter that did not grow when either side is non-zero (a cloned key).
          counter: passkey.sign_count,
          transports: passkey.transports as AuthenticatorTransportFuture[],
        },
        requireUserVerification: true,
      });
    } catch (error) {
      return { refused: error instanceof Error ? error.message : 'verification failed' };
    }
    if (!verified.verified) return { refused: 'verification failed' };
    const { newCounter, credentialBackedUp } = verified.authenticationInfo;
    if (!(await pq.recordPasskeyUse(db, passkey, { signCount: newCounter, backedUp: credentialBackedUp }, clock.now()))) {
      return { refused: 'signature counter changed concurrently' };
    }
    return { userId: passkey.user_id };
  }

  bindFrontend(app, deps, ops.passkeySignInOptions, async (_input, _principal, c) => {
    // Each call stores a challenge row: limited per IP (and swept once expired).
    await rateLimiter.consume('passkeyIp', c.get('ip'));
    const now = clock.now();
    const challenge = newChallenge();
    const options = await (await import('@simplewebauthn/server')).generateAuthenticationOptions({
      rpID: config.rpId,
      challenge: Buffer.from(challenge, 'base64url'),
      timeout: 5 * 60 * 1000,
      // No allowCredentials: the authenticator offers its discoverable passkeys, nobody types an email.
      userVerification: 'required',
    });
    await pq.insertChallenge(db, challenge, 'authentication', null, now);
    return { options };
  });

  bindFrontend(app, deps, ops.passkeySignIn, async ({ response }, principal, c: Context<AppEnv>) => {
    const ip = c.get('ip');
    await rateLimiter.consume('signInIp', ip);
    const outcome = await verifyAssertion(response);
    if ('refused' in outcome) {
      c.get('log').info({ reason: outcome.refused }, 'passkey sign-in refused');
      throw passkeyRefused();
    }
    await rateLimiter.refund('signInIp', ip);
    // A verified passkey is possession and a PIN or biometric: no TOTP step after it (docs/decisions.md).
    return completeSignIn(c, deps, outcome.userId, principal);
  });
}
