import * as ops from '@gatehouse/contract';
import type { z } from 'zod';
import type { FrontendCaller } from './index.js';

type In<Op extends ops.FrontendOperation> = z.input<Op['input']>;

/**
 * `client.organizations.tokens.*`: an organization's API tokens, managed by a signed-in user
 * (org:manage). A token itself can never call these.
 */
export function organizationTokensApi(call: FrontendCaller) {
  return {
    /**
     * Mint a token (needs a recent `auth.reauthenticate`). The answer's `secret` and `bearer` are
     * shown this once: give `bearer` to the machine as `createClient({ baseUrl, apiToken: bearer })`.
     */
    create: (input: In<typeof ops.frontendCreateApiToken>) => call(ops.frontendCreateApiToken, input),
    /** Tokens, newest first, without their secrets. */
    list: (input: In<typeof ops.frontendListApiTokens>) => call(ops.frontendListApiTokens, input),
    /** Revoke a token; idempotent. Its next request gets 401. */
    revoke: (input: In<typeof ops.frontendRevokeApiToken>) => call(ops.frontendRevokeApiToken, input),
  };
}
