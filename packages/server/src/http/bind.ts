import type { BackendOperation, FrontendOperation, OutputOf } from '@gatehouse/contract';
import type { Context, Hono } from 'hono';
import type { z } from 'zod';
import type { Deps } from '../deps.js';
import type { AppEnv, EnvelopeSession, Principal, TokenPrincipal, UserPrincipal } from './context.js';
import { ApiError, fromZodError } from './errors.js';

/** The validated input of a backend operation. */
export interface BackendInput<Op extends BackendOperation> {
  params: OutputOf<Op['params']>;
  query: OutputOf<Op['query']>;
  body: OutputOf<Op['body']>;
}

export type BackendHandler<Op extends BackendOperation> = (input: BackendInput<Op>, c: Context<AppEnv>) => Promise<z.input<Op['output']>>;

/** The principal a frontend handler is guaranteed, by the operation's `auth`. */
export type FrontendPrincipalOf<Op extends FrontendOperation> = Op['auth'] extends 'user'
  ? UserPrincipal
  : Op['auth'] extends 'principal'
    ? UserPrincipal | TokenPrincipal
    : UserPrincipal | TokenPrincipal | undefined;

export type FrontendHandler<Op extends FrontendOperation> = (
  input: z.output<Op['input']>,
  principal: FrontendPrincipalOf<Op>,
  c: Context<AppEnv>,
) => Promise<z.input<Op['output']>>;

/** `/users/{userId}` → `/users/:userId` */
function honoPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}

async function readJson(c: Context<AppEnv>): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  // Only JSON: a cross-site HTML form cannot send it without a CORS preflight.
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new ApiError('invalid_request', 'Send a JSON body with Content-Type: application/json.');
  }
  const text = await c.req.text();
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError('invalid_request', 'The body is not valid JSON.');
  }
}

function parse<S extends z.ZodType>(schema: S | undefined, value: unknown, location: 'body' | 'query' | 'params'): z.output<S> {
  if (!schema) return undefined as z.output<S>;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  // A malformed id in a path is just an id that does not exist.
  if (location === 'params') throw new ApiError('not_found');
  throw fromZodError(result.error, location);
}

/**
 * In tests, every answer is checked against the contract's output schema, so the OpenAPI
 * document and the SDK types cannot drift from what the server sends.
 */
function checkOutput(deps: Deps, op: BackendOperation | FrontendOperation, value: unknown): void {
  if (!deps.checkOutputs) return;
  const result = op.output.safeParse(value);
  if (!result.success) {
    throw new Error(`Output of ${op.name} does not match the contract: ${JSON.stringify(result.error.issues)}`);
  }
}

/** Bind a backend operation to its REST route. The secret-key check runs before, as middleware. */
export function bindBackend<Op extends BackendOperation>(app: Hono<AppEnv>, deps: Deps, op: Op, handler: BackendHandler<Op>): void {
  const method = op.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete';
  app[method](`/backend/v1${honoPath(op.path)}`, async (c) => {
    const params = parse(op.params, c.req.param(), 'params');
    const query = parse(op.query, op.query ? c.req.query() : undefined, 'query');
    const body = op.body ? parse(op.body, await readJson(c), 'body') : undefined;
    const result = await handler({ params, query, body } as BackendInput<Op>, c);
    checkOutput(deps, op, result);
    return c.json(result as object);
  });
}

/** Build the frontend envelope. */
export function envelope(status: number, data: unknown, session: EnvelopeSession | null, errors: unknown[] | null, message = '') {
  return { status, message, data, session, errors };
}

/** The envelope's `session` for a principal. */
export function envelopeSessionOf(principal: Principal | undefined): EnvelopeSession | null {
  if (principal?.type !== 'user') return null;
  return {
    id: principal.sessionId,
    userId: principal.userId,
    activeOrganizationId: principal.activeOrganizationId,
    activeWorkspaceId: principal.activeWorkspaceId,
  };
}

/**
 * Bind a frontend operation to `POST /v1/<name>`. The principal is resolved first (the auth
 * feature's `resolvePrincipal`); `user` operations refuse org tokens with 403, and every
 * principal-bound operation refuses anonymous callers with 401.
 */
export function bindFrontend<Op extends FrontendOperation>(app: Hono<AppEnv>, deps: Deps, op: Op, handler: FrontendHandler<Op>): void {
  app.post(`/v1/${op.name}`, async (c) => {
    const raw = await readJson(c);
    const principal = await deps.resolvePrincipal(c);
    c.set('principal', principal);
    if (op.auth !== 'none') {
      if (!principal) throw new ApiError('unauthenticated');
      if (op.auth === 'user' && principal.type !== 'user') {
        throw new ApiError('forbidden', 'An organization API token cannot call this operation.');
      }
    }
    const input = parse(op.input, raw, 'body') as z.output<Op['input']>;
    const data = await handler(input, principal as FrontendPrincipalOf<Op>, c);
    checkOutput(deps, op, data);
    const explicit = c.get('envelopeSession');
    return c.json(envelope(200, data, explicit !== undefined ? explicit : envelopeSessionOf(principal), null));
  });
}
