import { createHash, randomBytes } from 'node:crypto';

/** How long a registration or sign-in challenge may be answered. */
export const CHALLENGE_TTL_MS = 5 * 60 * 1000;

/** A new challenge: 32 bytes from the CSPRNG (WebAuthn §13.4.3 asks for at least 16), base64url. */
export function newChallenge(): string {
  return randomBytes(32).toString('base64url');
}

/** Challenges are kept as SHA-256 only: the stored value is a lookup key, never something to answer with. */
export function hashChallenge(challenge: string): string {
  return createHash('sha256').update(challenge).digest('hex');
}

/**
 * The challenge a browser signed, read from `clientDataJSON` (base64url of JSON). Undefined for
 * anything malformed; the library checks the rest of the client data again when it verifies.
 */
export function challengeOf(clientDataJSON: string): string | undefined {
  try {
    const data: unknown = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8'));
    const challenge = (data as { challenge?: unknown } | null)?.challenge;
    return typeof challenge === 'string' && challenge.length > 0 && challenge.length <= 256 ? challenge : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The WebAuthn user handle of a user: the bytes of the user id. It is what a discoverable passkey
 * gives back at sign-in, checked against the credential's owner; ids carry no personal data
 * (WebAuthn §14.6.1).
 */
export function userHandleOf(userId: string): string {
  return Buffer.from(userId, 'utf8').toString('base64url');
}
