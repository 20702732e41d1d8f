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
  unavailable: 'The service is unavailable for a moment. Try again shortly.',
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
  message?: string;
}

/** Seconds a client waits before retrying while the database is away; the pool reconnects on the next request. */
const DATABASE_RETRY_AFTER_SECONDS = 1;

/** 503 `unavailable` with `Retry-After`: the database is away (restarting, down, unreachable). */
export function databaseUnavailable(): ApiError {
  return new ApiError(
    'unavailable',
    'Gatehouse cannot reach its database right now (it may be restarting). Try again in a few seconds.',
    undefined,
    { 'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS) },
  );
}

/**
 * Socket errors of a connection to the database: refused (the server is down), reset or broken
 * (it went away mid-query), or unreachable. Node puts the code on the error, or on an
 * AggregateError when it tried several addresses.
 */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * SQLSTATEs of a server that is going away or not taking sessions yet: 57P01 admin_shutdown (a
 * fast restart terminates every session), 57P02 crash_shutdown, 57P03 cannot_connect_now (starting
 * up, shutting down, in recovery), 53300 too_many_connections. Class 08 is connection exceptions.
 */
const SERVER_AWAY = new Set(['57P01', '57P02', '57P03', '53300']);

/**
 * What node-postgres itself throws, without a code, for a connection that died: the socket closed
 * under a query, a later query (or the transaction's ROLLBACK) on that dead client, and the
 * pool's connection timeout.
 */
const CONNECTION_LOST =
  /^(Connection terminated unexpectedly|Connection terminated due to connection timeout|Client has encountered a connection error and is not queryable|timeout exceeded when trying to connect)/;

/** True when an error says the database cannot be reached right now, rather than that a query is wrong. */
function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as PgError;
  if (typeof code === 'string' && (UNREACHABLE.has(code) || SERVER_AWAY.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  return typeof message === 'string' && CONNECTION_LOST.test(message);
}

/**
 * The one place where database errors become API errors: an unreachable database (503, so clients
 * retry instead of reporting a bug), constraint violations, for races the application did not see
 * coming (a check-then-write it does not do), and unstorable characters.
 */
export function fromDatabaseError(error: unknown): ApiError | undefined {
  if (isDatabaseUnavailable(error)) return databaseUnavailable();
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
