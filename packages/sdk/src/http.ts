import type { BackendOperation, FrontendOperation, InputOf } from '@gatehouse/contract';
import type { z } from 'zod';
import { GatehouseError } from './errors.js';

/** A `fetch` implementation (the global one by default). */
export type Fetch = typeof globalThis.fetch;

/** The inputs of a backend operation, as a caller writes them. */
export interface BackendCallInput<Op extends BackendOperation> {
  params?: InputOf<Op['params']>;
  query?: InputOf<Op['query']>;
  body?: InputOf<Op['body']>;
}

interface ErrorPayload {
  errors?: { code: GatehouseError['code']; message: string; details?: unknown }[] | null;
}

async function readPayload(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function toError(response: Response, payload: unknown): GatehouseError {
  const first = (payload as ErrorPayload | undefined)?.errors?.[0];
  const retryAfter = response.headers.get('retry-after');
  return new GatehouseError(
    first?.code ?? 'internal',
    first?.message ?? `Gatehouse answered ${response.status} ${response.statusText}`,
    response.status,
    first?.details,
    response.headers.get('x-request-id') ?? undefined,
    retryAfter ? Number(retryAfter) : undefined,
  );
}

/** Send a request; network failures become a GatehouseError with code `network_error`. */
export async function send(fetchImpl: Fetch, url: string, init: RequestInit): Promise<{ response: Response; payload: unknown }> {
  let response: Response;
  try {
    response = await fetchImpl(url, init);
  } catch (error) {
    throw new GatehouseError('network_error', `Could not reach Gatehouse at ${url}: ${(error as Error).message}`, 0);
  }
  const payload = await readPayload(response);
  if (!response.ok) throw toError(response, payload);
  return { response, payload };
}

function fillPath(path: string, params: Record<string, string> | undefined): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined) throw new TypeError(`Missing path parameter ${name}`);
    return encodeURIComponent(value);
  });
}

function queryString(query: Record<string, unknown> | undefined): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null) search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Call a backend operation: REST, secret key, bare JSON resources. */
export async function callBackend<Op extends BackendOperation>(
  options: { baseUrl: string; secretKey: string; fetch: Fetch },
  op: Op,
  input: BackendCallInput<Op> = {},
): Promise<z.output<Op['output']>> {
  const url = `${options.baseUrl}/backend/v1${fillPath(op.path, input.params as Record<string, string>)}${queryString(input.query as Record<string, unknown>)}`;
  const headers: Record<string, string> = { authorization: `Bearer ${options.secretKey}`, accept: 'application/json' };
  const init: RequestInit = { method: op.method, headers };
  if (op.body) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(input.body ?? {});
  }
  const { payload } = await send(options.fetch, url, init);
  return payload as z.output<Op['output']>;
}

/** The frontend API envelope. */
export interface Envelope<T> {
  status: number;
  message: string;
  data: T;
  session: { id: string; userId: string; activeOrganizationId: string | null; activeWorkspaceId: string | null } | null;
  errors: { code: string; message: string; details?: unknown }[] | null;
}

/** Call a frontend operation: `POST /v1/<name>` with a JSON body; returns the unwrapped envelope. */
export async function callFrontend<Op extends FrontendOperation>(
  options: { baseUrl: string; fetch: Fetch; headers: () => Record<string, string>; credentials?: RequestCredentials },
  op: Op,
  input: z.input<Op['input']>,
): Promise<{ envelope: Envelope<z.output<Op['output']>>; response: Response }> {
  const { response, payload } = await send(options.fetch, `${options.baseUrl}/v1/${op.name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...options.headers() },
    body: JSON.stringify(input ?? {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
  return { envelope: payload as Envelope<z.output<Op['output']>>, response };
}

/** Strip a trailing slash so paths join cleanly. */
export function trimBase(url: string): string {
  return url.replace(/\/+$/, '');
}
