import { z } from 'zod';

/**
 * Id prefixes by resource type. An id is `<prefix>_<26 Crockford base32 characters>`: 48 bits of
 * milliseconds then 80 random bits, so ids sort by creation time and cannot be guessed.
 */
export const idPrefixes = {
  user: 'usr',
  organization: 'org',
  workspace: 'ws',
  membership: 'mem',
  workspaceMembership: 'wsm',
  role: 'role',
  invitation: 'inv',
  joinCode: 'jc',
  apiToken: 'tok',
  session: 'ses',
  passkey: 'psk',
  authenticator: 'mfa',
  email: 'eml',
  phone: 'phn',
  event: 'evt',
  secretKey: 'key',
  signInAttempt: 'att',
  signingKey: 'sig',
  outboxMessage: 'msg',
  oauthProvider: 'oap',
  socialConnection: 'soc',
} as const;

/** A resource type that has ids. */
export type IdKind = keyof typeof idPrefixes;

/** Characters of the id body (Crockford base32, lower case). */
export const ID_BODY_PATTERN = '[0-9a-hjkmnp-tv-z]{26}';

/** True when `value` is a well-formed id of the given kind. */
export function isId(kind: IdKind, value: string): boolean {
  return new RegExp(`^${idPrefixes[kind]}_${ID_BODY_PATTERN}$`).test(value);
}

/**
 * Schema of an id of one kind. Ids are opaque to clients; only the length is bounded here so
 * that a malformed id in a path answers 404 like an unknown one (never 400 or 500).
 */
export function idOf(kind: IdKind) {
  return z
    .string()
    .min(1)
    .max(64)
    .meta({ description: `${kind} id (\`${idPrefixes[kind]}_…\`)`, example: `${idPrefixes[kind]}_01jd5x3k8m2q4r6t8v0w2y4a6c` });
}
