import type { UserPrincipal } from '../../http/context.js';
import { ApiError } from '../../http/errors.js';

/** How long a password (or second factor) proof counts for sensitive operations. */
export const REAUTH_WINDOW_MS = 10 * 60 * 1000;

/**
 * The re-authentication rule: sensitive operations (email changes, TOTP delete,
 * passkeys, API token creation, …) need `auth/reauthenticate` — or a sign-in — in the last 10
 * minutes of this session, else 403 `mfa_required`. Call it as the handler's first line.
 */
export function requireRecentAuth(principal: UserPrincipal, now: Date): void {
  const at = principal.reauthenticatedAt;
  if (!at || now.getTime() - at.getTime() > REAUTH_WINDOW_MS) {
    throw new ApiError('mfa_required', 'Confirm your password again (auth/reauthenticate) to do this.');
  }
}
