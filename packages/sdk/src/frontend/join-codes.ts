import * as ops from '@gatehouse/contract';
import type { z } from 'zod';
import type { FrontendCaller } from './index.js';

type In<Op extends ops.FrontendOperation> = z.input<Op['input']>;

/** `client.organizations.joinCodes.*`: shareable codes that let people join an organization. */
export function joinCodesApi(call: FrontendCaller) {
  return {
    /** Create a join code (members:manage; `maxUses` null = unlimited). The `code` is shown this once. */
    create: (input: In<typeof ops.frontendCreateJoinCode>) => call(ops.frontendCreateJoinCode, input),
    /** Join codes with their uses and status (members:manage). */
    list: (input: In<typeof ops.frontendListJoinCodes>) => call(ops.frontendListJoinCodes, input),
    /** Revoke a join code; idempotent (members:manage). */
    revoke: (input: In<typeof ops.frontendRevokeJoinCode>) => call(ops.frontendRevokeJoinCode, input),
    /** Join an organization with a code: you become a member (`alreadyMember` if you were one). */
    join: (input: In<typeof ops.frontendJoinWithCode>) => call(ops.frontendJoinWithCode, input),
  };
}
