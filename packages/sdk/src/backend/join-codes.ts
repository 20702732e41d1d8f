import * as ops from '@gatehouse/contract';
import type { z } from 'zod';
import type { BackendCaller } from './users.js';

type Body<Op extends ops.BackendOperation> = z.input<NonNullable<Op['body']>>;
type Query<Op extends ops.BackendOperation> = z.input<NonNullable<Op['query']>>;

/** A join code as the API returns it (never the code itself). */
export type JoinCode = z.output<typeof ops.JoinCode>;

/** `organizations.joinCodes.*` of the backend client, by organization id. */
export function joinCodesApi(call: BackendCaller) {
  return {
    /** Join codes, newest first, with their uses and status, one page at a time. */
    list: (organizationId: string, query: Query<typeof ops.listJoinCodes> = {}) =>
      call(ops.listJoinCodes, { params: { orgId: organizationId }, query }),
    /**
     * Create a join code (`maxUses` null or absent: unlimited; `expiresAt` absent: 7 days, null: never).
     * The answer's `code` is the only time the code is shown. Never for `owner` (403).
     */
    create: (organizationId: string, body: Body<typeof ops.createJoinCode> = {}) =>
      call(ops.createJoinCode, { params: { orgId: organizationId }, body }),
    /** Revoke a join code; idempotent, answers the code in its final state. */
    revoke: (organizationId: string, joinCodeId: string) => call(ops.revokeJoinCode, { params: { orgId: organizationId, joinCodeId } }),
  };
}
