import { type BackendOperation, type FrontendOperation, isId, type OutputOf, tokenMayCall } from '@gatehouse/contract';
import type { Context, Hono } from 'hono';
import type { z } from 'zod';
import type { Deps } from '../deps.js';
import type { SessionPreload } from '../features/sessions/lookup.js';
import { readBodyText } from './body.js';
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

/**
 * Deepest nesting of objects and arrays accepted in a JSON body (the body itself is level 1).
 * Real bodies use a handful; the bound keeps a hostile one away from every recursive consumer
 * (JSON.stringify in the metadata size check, zod, PostgreSQL's jsonb parser), which overflow.
 */
export const MAX_JSON_DEPTH = 32;

/** PostgreSQL cannot store U+0000 in text (22021) or jsonb (22P05): it must never get that far. */
const NUL = '\u0000';

const NUL_MESSAGE = 'must not contain the NUL character (U+0000)';

/**
 * A string PostgreSQL can store as given: no NUL, and well-formed UTF-16. A lone surrogate
 * (`"\\ud800"` in JSON) has no UTF-8 encoding: the driver would send it as U+FFFD (silently
 * changing the value) or the server would refuse it (22P02, a 500).
 */
function unstorable(value: string): string | undefined {
  if (value.includes(NUL)) return NUL_MESSAGE;
  if (LONE_SURROGATE.test(value)) return UNPAIRED_MESSAGE;
  return undefined;
}

// `String.prototype.isWellFormed` is ES2024, past this build's lib: the same test as a regex.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const UNPAIRED_MESSAGE = 'must be well-formed Unicode (no unpaired UTF-16 surrogate)';

/** A 400 naming one field, in the shape of `fromZodError`. */
function invalidField(path: string, message: string, code: string): ApiError {
  return new ApiError('invalid_request', `${path}: ${message}`, [{ path, message, code }]);
}

/**
 * One pass over a parsed body before any schema or handler sees it: no NUL or lone surrogate in any string or
 * object key, no nesting deeper than MAX_JSON_DEPTH. Iterative, so the check itself cannot
 * overflow the stack; JSON.parse is iterative too.
 */
function assertSafeJson(root: unknown): void {
  const pending: { value: unknown; path: string[] }[] = [{ value: root, path: ['body'] }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, path } = next;
    if (typeof value === 'string') {
      const problem = unstorable(value);
      if (problem) throw invalidField(path.join('.'), problem, 'invalid_format');
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    // `path` is `body` plus one segment per enclosing container: its length is this level.
    if (path.length > MAX_JSON_DEPTH) {
      throw invalidField(path.join('.'), `must not be nested deeper than ${MAX_JSON_DEPTH} levels`, 'too_big');
    }
    for (const [key, child] of Object.entries(value)) {
      const problem = unstorable(key);
      if (problem) throw invalidField(path.join('.'), `keys ${problem}`, 'invalid_format');
      pending.push({ value: child, path: [...path, key] });
    }
  }
}

/** The JSON body, parsed and checked by `assertSafeJson`; an empty body is `{}`. */
async function readJson(c: Context<AppEnv>, text?: string): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  // Only JSON: a cross-site HTML form cannot send it without a CORS preflight.
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new ApiError('invalid_request', 'Send a JSON body with Content-Type: application/json.');
  }
  text ??= await readBodyText(c);
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError('invalid_request', 'The body is not valid JSON.');
  }
  assertSafeJson(value);
  return value;
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}

/**
 * The validated body. An operation without a body schema takes no body: nothing, or `{}` (which
 * some clients always send), and anything else is 400, because unknown fields are rejected.
 */
async function readBody<S extends z.ZodType>(c: Context<AppEnv>, schema: S | undefined): Promise<z.output<S>> {
  if (schema) return parse(schema, await readJson(c), 'body');
  const text = await readBodyText(c);
  if (text.trim() === '') return undefined as z.output<S>;
  if (!isEmptyObject(await readJson(c, text))) throw invalidField('body', 'this operation takes no body', 'unrecognized_keys');
  return undefined as z.output<S>;
}

/**
 * The validated query. Every value of a repeated parameter is checked (`unstorable`), though the schema
 * sees only the first. An operation without a query schema takes no parameters.
 */
function readQuery<S extends z.ZodType>(c: Context<AppEnv>, schema: S | undefined): z.output<S> {
  const all = Object.entries(c.req.queries());
  for (const [key, values] of all) {
    const nameProblem = unstorable(key);
    if (nameProblem) throw invalidField('query', `parameter names ${nameProblem}`, 'invalid_format');
    const problem = values.map(unstorable).find(Boolean);
    if (problem) throw invalidField(`query.${key}`, problem, 'invalid_format');
  }
  if (!schema) {
    if (all.length === 0) return undefined as z.output<S>;
    const names = all.map(([key]) => JSON.stringify(key)).join(', ');
    throw invalidField('query', `this operation takes no query parameters (got ${names})`, 'unrecognized_keys');
  }
  return parse(schema, c.req.query(), 'query');
}

/** The validated path parameters; an unstorable one is a malformed id, so an unknown one: 404. */
function readParams<S extends z.ZodType>(c: Context<AppEnv>, schema: S | undefined): z.output<S> {
  const params = c.req.param() as Record<string, string>;
  if (Object.values(params).some((v) => unstorable(v) !== undefined)) throw new ApiError('not_found');
  return parse(schema, params, 'params');
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
    // Input is read in full before the handler runs: params, then query, then body.
    const params = readParams(c, op.params);
    const query = readQuery(c, op.query);
    const body = await readBody(c, op.body);
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

export interface FrontendOptions {
  /** The handler reads the caller's user (`me/get`): read it with the session, in one query. */
  preloadUser?: boolean;
}

/**
 * What to read with the caller's session: the user when the handler asks, and for a body naming an
 * organization, the caller's membership there (authorize() then makes no query). A wrong or
 * foreign id costs nothing more: it reads no membership, and the handler decides as before.
 */
function preloadFor(raw: unknown, options: FrontendOptions): SessionPreload | undefined {
  if (options.preloadUser) return { user: true };
  const organizationId = (raw as { organizationId?: unknown } | null)?.organizationId;
  return typeof organizationId === 'string' && isId('organization', organizationId) ? { organizationId } : undefined;
}

/**
 * Bind a frontend operation to `POST /v1/<name>`. The body is read and checked first (JSON, no
 * NUL, bounded depth), then the principal is resolved (the auth feature's `resolvePrincipal`);
 * an org token gets 403 on every operation the contract does not open to it (`tokenMayCall`), and
 * every principal-bound operation refuses anonymous callers with 401, before the input is validated.
 */
export function bindFrontend<Op extends FrontendOperation>(
  app: Hono<AppEnv>,
  deps: Deps,
  op: Op,
  handler: FrontendHandler<Op>,
  options: FrontendOptions = {},
): void {
  app.post(`/v1/${op.name}`, async (c) => {
    const raw = await readJson(c);
    const principal = await deps.resolvePrincipal(c, preloadFor(raw, options));
    c.set('principal', principal);
    if (principal?.type === 'token' && !tokenMayCall(op)) {
      throw new ApiError('forbidden', 'An organization API token cannot call this operation.');
    }
    if (op.auth !== 'none' && !principal) throw new ApiError('unauthenticated');
    // After authentication, like the input: the frontend API takes no query parameters.
    readQuery(c, undefined);
    const input = parse(op.input, raw, 'body') as z.output<Op['input']>;
    const data = await handler(input, principal as FrontendPrincipalOf<Op>, c);
    checkOutput(deps, op, data);
    const explicit = c.get('envelopeSession');
    return c.json(envelope(200, data, explicit !== undefined ? explicit : envelopeSessionOf(principal), null));
  });
}
