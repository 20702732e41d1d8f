/**
 * The closed list of error codes both APIs answer with, each with exactly one HTTP status.
 * A code is added only when a client would act on it differently (DESIGN.md §6).
 */
export const errorStatus = {
  invalid_request: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  email_mismatch: 403,
  mfa_required: 403,
  not_found: 404,
  conflict: 409,
  last_owner: 409,
  already_member: 409,
  authenticator_exists: 409,
  invitation_pending: 409,
  invitation_accepted: 409,
  invitation_expired: 410,
  invitation_revoked: 410,
  join_code_invalid: 410,
  payload_too_large: 413,
  rate_limited: 429,
  internal: 500,
  /** A service Gatehouse needs (the database) is away for now: retry after `Retry-After` seconds. */
  unavailable: 503,
} as const;

/** One of the error codes in {@link errorStatus}. */
export type ErrorCode = keyof typeof errorStatus;

/** The error codes, in table order. */
export const errorCodes = Object.keys(errorStatus) as ErrorCode[];

/** One entry of the `errors` array of a failed response. */
export interface ApiErrorBody {
  code: ErrorCode;
  message: string;
  details?: unknown;
}
