import { type ApiErrorBody, type ErrorCode, errorStatus } from '@gatehouse/contract';
import type { ZodError } from 'zod';

/** The one error type of the server. Throwing code names a code, never a status. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: unknown,
    /** Extra response headers, e.g. `Retry-After` on 429. */
    readonly headers?: Record<string, string>,
  ) {
    super(message ?? defaultMessages[code]);
    this.name = 'ApiError';
  }

  get status(): number {
    return errorStatus[this.code];
  }

  toBody(): ApiErrorBody {
    return { code: this.code, message: this.message, ...(this.details !== undefined ? { details: this.details } : {}) };
  }
}

const defaultMessages: Record<ErrorCode, string> = {
  invalid_request: 'The request is invalid.',
  unauthenticated: 'Sign in, or send a valid key, to call this.',
  invalid_credentials: 'The email or password is incorrect.',
  forbidden: 'You do not have permission to do this.',
  email_mismatch: 'This invitation was sent to a different email address.',
  mfa_required: 'Confirm your identity again to do this.',
  not_found: 'Not found.',
  conflict: 'This conflicts with the current state.',
  last_owner: 'An organization must keep at least one owner.',
  already_member: 'Already a member.',
  authenticator_exists: 'This user already has an authenticator.',
  invitation_pending: 'A pending invitation for this email already exists.',
  invitation_accepted: 'This invitation was already accepted.',
  invitation_expired: 'This invitation has expired.',
  invitation_revoked: 'This invitation was revoked.',
  join_code_invalid: 'This join code is not valid any more.',
  payload_too_large: 'The request body is larger than 64 KiB.',
  rate_limited: 'Too many attempts. Try again later.',
  internal: 'Something went wrong on our side.',
};

/** A 404 for anything absent or hidden from the caller: the same body in every case. */
export function notFound(what = 'Not found.'): ApiError {
  return new ApiError('not_found', what);
}

/** Turn zod issues into a 400 naming each failing field. */
export function fromZodError(error: ZodError, location: 'body' | 'query' | 'params'): ApiError {
  const details = error.issues.map((issue) => ({
    path: [location, ...issue.path.map(String)].join('.'),
    message: issue.message,
    code: issue.code,
  }));
  const first = details[0];
  return new ApiError('invalid_request', first ? `${first.path}: ${first.message}` : 'The request is invalid.', details);
}

interface PgError {
  code?: string;
  constraint?: string;
  detail?: string;
}

/**
 * The one place where database errors become API errors: constraint violations, for races the
 * application did not see coming (a check-then-write it does not do), and unstorable characters.
 */
export function fromDatabaseError(error: unknown): ApiError | undefined {
  const pg = error as PgError;
  if (typeof pg?.code !== 'string') return undefined;
  switch (pg.code) {
    case '23505':
      return new ApiError('conflict', uniqueMessage(pg.constraint));
    case '23503':
      return pg.detail?.includes('still referenced')
        ? new ApiError('conflict', 'It is still in use.')
        : new ApiError('not_found', 'A referenced resource does not exist.');
    case '23514':
      return new ApiError('invalid_request', 'A value is out of range.');
    // U+0000 in text (22021) or jsonb (22P05). The binding layer refuses NUL in all input before
    // any query runs; this is the backstop for a value that reaches SQL another way.
    case '22021':
    case '22P05':
      return new ApiError('invalid_request', 'A value contains a character that cannot be stored (U+0000).');
    // Text the server cannot read as its type (a lone surrogate in a `\\ud800` JSON escape, a
    // malformed uuid): the binding layer refuses unpaired surrogates first; this is the backstop.
    case '22P02':
      return new ApiError('invalid_request', 'A value is not valid for its type.');
    default:
      return undefined;
  }
}

const uniqueMessages: Record<string, string> = {
  user_emails_email_key: 'This email address is already in use.',
  user_phones_phone_key: 'This phone number is already in use.',
  users_username_key: 'This username is taken.',
};

function uniqueMessage(constraint: string | undefined): string {
  return (constraint && uniqueMessages[constraint]) || 'It already exists.';
}

/** Register a friendly message for a unique constraint (from a feature's queries module). */
export function describeUniqueConstraint(constraint: string, message: string): void {
  uniqueMessages[constraint] = message;
}
