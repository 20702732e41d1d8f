import * as ops from '@gatehouse/contract';
import type { z } from 'zod';
import { paginate } from '../paginate.js';
import type { BackendCaller } from './users.js';

type Query<Op extends ops.BackendOperation> = z.input<NonNullable<Op['query']>>;

/** An email in the outbox. */
export type OutboxMessage = z.output<typeof ops.OutboxMessage>;

/** `outbox.*` of the backend client: the email outbox (a development aid). */
export function outboxApi(call: BackendCaller) {
  return {
    /** Outbox emails, newest first; `to` keeps those to one address, `kind` those of one kind. */
    list: (query: Query<typeof ops.listOutbox> = {}) => call(ops.listOutbox, { query }),
    /** Every outbox email matching `query`, fetching pages as the loop asks for them. */
    listAll: (query: Omit<Query<typeof ops.listOutbox>, 'cursor'> = {}) =>
      paginate((cursor) => call(ops.listOutbox, { query: { ...query, ...(cursor ? { cursor } : {}) } })),
  };
}

/** The answer of `sessions.verify`. */
export type SessionVerification = z.output<typeof ops.SessionVerification>;

/** `sessions.*` of the backend client. */
export function sessionsApi(call: BackendCaller) {
  return {
    /**
     * Check an opaque session token (`ses_….<secret>`) or a session JWT with Gatehouse: `valid: false`
     * for a bad, expired or revoked one. Unlike the offline `verifySessionToken`, this sees revocations at once.
     */
    verify: (token: string) => call(ops.verifySession, { body: { token } }),
  };
}
