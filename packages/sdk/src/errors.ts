import type { ErrorCode } from '@gatehouse/contract';

/** A failed Gatehouse call: the API's error code, HTTP status, field details and request id. */
export class GatehouseError extends Error {
  override name = 'GatehouseError';
  constructor(
    /** One of the contract's error codes, e.g. `not_found`, `conflict`, `rate_limited`. */
    readonly code: ErrorCode | 'network_error',
    message: string,
    /** The HTTP status (0 when the server could not be reached). */
    readonly status: number,
    /** Per-field problems for `invalid_request`, or other structured detail. */
    readonly details?: unknown,
    /** The `X-Request-Id` of the response, to quote when asking for help. */
    readonly requestId?: string,
    /** Seconds to wait before retrying, from `Retry-After` (429 `rate_limited`, 503 `unavailable`). */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}
