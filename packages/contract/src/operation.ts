import type { z } from 'zod';
import type { Permission } from './catalog.js';

/** HTTP methods the backend API uses. */
export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/**
 * Who may call a frontend operation:
 * - `none`: anyone without a credential or with a session (sign-up, sign-in…), usually rate
 *   limited; an org API token gets 403;
 * - `user`: a signed-in user (an org API token gets 403);
 * - `principal`: a signed-in user or an organization API token.
 *
 * So what an org token may call is data: the `principal` operations, and nothing else. Operations
 * bound to a person (`me/*`, `session/*`, `auth/*`, creating, listing or leaving organizations,
 * accepting an invitation, joining by code) and those an organization keeps for its people even
 * when a permission would allow them (tokens, roles, `members/set-role`, `organizations/delete`)
 * are `user` or `none`.
 */
export type FrontendAuth = 'none' | 'user' | 'principal';

/** A REST operation of the backend API (`/backend/v1`), called with the secret key. */
export interface BackendOperation<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  O extends z.ZodType = z.ZodType,
> {
  readonly api: 'backend';
  /** Stable name, e.g. `users.get`; the SDK method and the OpenAPI operationId come from it. */
  readonly name: string;
  readonly method: HttpMethod;
  /** Path below `/backend/v1`, with `{param}` placeholders. */
  readonly path: string;
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  readonly output: O;
  readonly summary: string;
  readonly description?: string;
  readonly tag: string;
}

/** An RPC operation of the frontend API: `POST /v1/<name>` with a JSON body. */
export interface FrontendOperation<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly api: 'frontend';
  /** The path below `/v1`, e.g. `auth/sign-in`. */
  readonly name: string;
  readonly input: I;
  readonly output: O;
  readonly auth: FrontendAuth;
  /** The permission a caller needs in the organization named by the input, when there is one. */
  readonly permission?: Permission;
  readonly summary: string;
  readonly description?: string;
  readonly tag: string;
}

/** True when an organization API token may call this frontend operation (see {@link FrontendAuth}). */
export function tokenMayCall(op: Pick<FrontendOperation, 'auth'>): boolean {
  return op.auth === 'principal';
}

/** Any operation of either API. */
export type Operation = BackendOperation | FrontendOperation;

/** Declare a backend operation; the identity function that keeps its literal types. */
export function backend<
  P extends z.ZodType = z.ZodNever,
  Q extends z.ZodType = z.ZodNever,
  B extends z.ZodType = z.ZodNever,
  O extends z.ZodType = z.ZodType,
>(op: Omit<BackendOperation<P, Q, B, O>, 'api'>): BackendOperation<P, Q, B, O> {
  return { api: 'backend', ...op };
}

/** Declare a frontend operation; keeps `auth` literal, so handlers get the principal type it guarantees. */
export function frontend<I extends z.ZodType, O extends z.ZodType, A extends FrontendAuth>(
  op: Omit<FrontendOperation<I, O>, 'api' | 'auth'> & { auth: A },
): FrontendOperation<I, O> & { readonly auth: A } {
  return { api: 'frontend', ...op };
}

/** Input type of a schema slot that may be absent. */
export type InputOf<S> = S extends z.ZodType ? z.input<S> : never;
/** Output type of a schema slot that may be absent. */
export type OutputOf<S> = S extends z.ZodType ? z.output<S> : never;
