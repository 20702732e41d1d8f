import { GatehouseError } from '@gatehouse/sdk';
import { expect } from 'vitest';
import type { TestGatehouse } from './harness.js';

/** A password that satisfies the policy, used when a test does not care which. */
export const DEFAULT_PASSWORD = 'correct horse battery staple';

export interface SignedInClient {
  /** A frontend client holding the session token (sent as `Authorization: Bearer`). */
  client: ReturnType<TestGatehouse['client']>;
  user: { id: string; email: string };
  sessionToken: string;
  password: string;
}

/**
 * A new verified user (made through the backend API) signed in through `auth/sign-in` with the
 * header transport, so the client carries the session token itself (no cookie jar needed).
 */
export async function signedInClient(
  t: TestGatehouse,
  options: { email?: string; password?: string; firstName?: string } = {},
): Promise<SignedInClient> {
  const email = options.email ?? t.email('signed-in');
  const password = options.password ?? DEFAULT_PASSWORD;
  const created = await t.backend.users.create({
    email,
    password,
    ...(options.firstName !== undefined ? { firstName: options.firstName } : {}),
  });
  const client = t.client({ tokenTransport: 'header' });
  const result = await client.auth.signIn({ email, password });
  if (result.status !== 'complete') throw new Error(`signedInClient: sign-in answered ${result.status}`);
  const sessionToken = client.sessionToken;
  if (!sessionToken) throw new Error('signedInClient: no Gatehouse-Session-Token header in the sign-in answer');
  return { client, user: { id: created.id, email }, sessionToken, password };
}

/**
 * The GatehouseError a call rejects with. The test fails if the call succeeds or rejects with
 * anything else, so callers assert on `code`, `status` and `details` without re-checking the type.
 */
export async function failure(promise: Promise<unknown>): Promise<GatehouseError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GatehouseError);
  return error as GatehouseError;
}

/** A raw frontend call, for what the SDK hides: cookies, Origin, content types, response headers. */
export async function rawPost(
  t: TestGatehouse,
  name: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{
  status: number;
  body: { data: unknown; errors: { code: string; message: string }[] | null; session: unknown };
  headers: Headers;
}> {
  const response = await fetch(`${t.url}/v1/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

/** The `__session=…` pair of a Set-Cookie header, to send back as a Cookie header. */
export function sessionCookieOf(headers: Headers): string | undefined {
  const cookie = headers.getSetCookie().find((c) => c.startsWith('__session='));
  return cookie?.split(';')[0];
}

/** The 6-digit code in an email body. */
export function codeIn(text: string): string {
  const match = /\b(\d{6})\b/.exec(text);
  if (!match) throw new Error(`No 6-digit code in: ${text}`);
  return match[1] as string;
}
