import { type BackendClient, createBackendClient, GatehouseError } from '@gatehouse/sdk';

/** What the server says about the console session. The CSRF proof lives in this object, in memory, only. */
export interface ConsoleSession {
  csrfToken: string;
  keyId: string;
  createdAt: string;
  expiresAt: string;
}

async function sessionCall(method: 'GET' | 'POST' | 'DELETE', init: { body?: unknown; csrfToken?: string } = {}): Promise<unknown> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.csrfToken) headers['x-console-csrf'] = init.csrfToken;
  let response: Response;
  try {
    response = await fetch('/console/session', {
      method,
      headers,
      credentials: 'same-origin',
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
  } catch (error) {
    throw new GatehouseError('network_error', `Could not reach Gatehouse: ${(error as Error).message}`, 0);
  }
  const payload = (await response.json().catch(() => undefined)) as
    | { errors?: { code: GatehouseError['code']; message: string }[] }
    | undefined;
  if (!response.ok) {
    const first = payload?.errors?.[0];
    const retry = response.headers.get('retry-after');
    throw new GatehouseError(
      first?.code ?? 'internal',
      first?.message ?? `Gatehouse answered ${response.status}`,
      response.status,
      undefined,
      response.headers.get('x-request-id') ?? undefined,
      retry ? Number(retry) : undefined,
    );
  }
  return payload;
}

/** The session of this page's cookie (after a reload), or undefined when there is none. */
export async function currentSession(): Promise<ConsoleSession | undefined> {
  try {
    return (await sessionCall('GET')) as ConsoleSession;
  } catch (error) {
    if (error instanceof GatehouseError && error.status === 401) return undefined;
    throw error;
  }
}

/** Exchange a secret key for a console session; the key itself is not kept anywhere. */
export async function signIn(secretKey: string): Promise<ConsoleSession> {
  return (await sessionCall('POST', { body: { secretKey } })) as ConsoleSession;
}

export async function signOut(session: ConsoleSession): Promise<void> {
  await sessionCall('DELETE', { csrfToken: session.csrfToken });
}

/**
 * The SDK's backend client, pointed at this server's `/console/api` (the backend API for a console
 * session): the cookie travels by itself, the CSRF proof in its header, and no secret key at all.
 * `onUnauthenticated` runs when the session has ended, so the app can ask to sign in again.
 */
export function consoleBackend(session: ConsoleSession, onUnauthenticated: () => void): BackendClient {
  return createBackendClient({
    baseUrl: window.location.origin,
    secretKey: 'console-session',
    fetch: async (url, init) => {
      const headers = new Headers(init?.headers);
      headers.delete('authorization');
      headers.set('x-console-csrf', session.csrfToken);
      const target = String(url).replace(`${window.location.origin}/backend/v1/`, `${window.location.origin}/console/api/`);
      const response = await fetch(target, { ...init, headers, credentials: 'same-origin' });
      if (response.status === 401) onUnauthenticated();
      return response;
    },
  });
}
