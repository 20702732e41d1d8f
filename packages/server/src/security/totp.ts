import { Secret, TOTP } from 'otpauth';

/** RFC 6238 as every authenticator app does it: SHA-1, 6 digits, 30-second steps. */
const PERIOD_SECONDS = 30;
/** Codes of the step before and after also pass, for clocks a little off. */
const WINDOW = 1;
/** A shorter secret is refused (RFC 4226 asks for at least 128 bits and requires 80 or more). */
const MIN_SECRET_BITS = 80;

/** Thrown for a secret that is not base32 or too short; its message says which. */
export class TotpSecretError extends Error {
  override name = 'TotpSecretError';
}

/**
 * Base32 (RFC 4648) as people paste it: upper-cased, spaces, dashes and `=` padding dropped.
 * Returns the canonical form; throws {@link TotpSecretError} for other characters or fewer than 80 bits.
 */
export function normalizeTotpSecret(raw: string): string {
  const secret = raw.replace(/[\s-]/g, '').replace(/=+$/, '').toUpperCase();
  if (!/^[A-Z2-7]+$/.test(secret)) throw new TotpSecretError('must be base32: the letters A–Z and the digits 2–7');
  if (Math.floor((secret.length * 5) / 8) * 8 < MIN_SECRET_BITS) {
    throw new TotpSecretError(`must have at least ${MIN_SECRET_BITS} bits (16 base32 characters)`);
  }
  return secret;
}

/** A new random secret of 160 bits, base32. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totp(secret: string, label = '', issuer = ''): TOTP {
  return new TOTP({ issuer, label, algorithm: 'SHA1', digits: 6, period: PERIOD_SECONDS, secret: Secret.fromBase32(secret) });
}

/** The `otpauth://totp/…` URL an app scans. */
export function totpUrl(secret: string, accountName: string, issuer: string): string {
  return totp(secret, accountName, issuer).toString();
}

/** The code of `secret` at `now` (tests, and nothing else). */
export function totpCodeAt(secret: string, now: Date): string {
  return totp(secret).generate({ timestamp: now.getTime() });
}

/**
 * The 30-second step whose code `code` is, within one step of `now`, or undefined. The caller
 * accepts it only if the step is later than the last one accepted (a code works once).
 */
export function totpStep(secret: string, code: string, now: Date): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const delta = totp(secret).validate({ token: code, timestamp: now.getTime(), window: WINDOW });
  if (delta === null) return undefined;
  return Math.floor(now.getTime() / 1000 / PERIOD_SECONDS) + delta;
}
