import type { FrontendOperation } from '@gatehouse/contract';
import type { z } from 'zod';
import { GatehouseError } from '../errors.js';
import { callFrontend, type Envelope, type Fetch, trimBase } from '../http.js';
import { organizationTokensApi } from './api-tokens.js';
import { authApi } from './auth.js';
import { invitationsApi } from './invitations.js';
import { meApi } from './me.js';
import { myOrganizationsApi, organizationSessionApi, organizationsApi } from './organizations.js';
import { sessionApi } from './session.js';
import { sessionTokenApi } from './session-token.js';
import { myWorkspacesApi, workspacesApi } from './workspaces.js';

/** Options of {@link createClient}. */
export interface ClientOptions {
  /** Where the frontend API is: Gatehouse's URL, or the path your app mounts the connector at. */
  baseUrl: string;
  /**
   * A session token (`ses_….<secret>`) for non-browser clients. Without it, browsers use the
   * `__session` cookie (send `credentials: 'include'` across origins).
   */
  sessionToken?: string;
  /**
   * An organization API token's bearer (`<key>:<secret>`, e.g. `gh_live_…:…`), for a machine
   * acting as its organization: sent as `Authorization: Bearer` on every call. It may call only
   * operations on its own organization that its permissions allow. Not with `sessionToken`.
   */
  apiToken?: string;
  /** A `fetch` to use instead of the global one. */
  fetch?: Fetch;
  /** `fetch` credentials mode; `include` when the frontend API is on another origin. */
  credentials?: RequestCredentials;
  /** Extra headers on every call. */
  headers?: Record<string, string>;
  /**
   * How the session token travels. `header` (mobile apps, CLIs, servers: anything without a cookie
   * jar): every call asks for the header transport, so sign-in and sign-up verification hand the
   * new token back in the `Gatehouse-Session-Token` response header instead of a cookie; the client
   * keeps it (see `sessionToken`) and sends it as `Authorization: Bearer` from then on.
   * `cookie` (the default, browsers): the `__session` cookie, which JavaScript never sees.
   * Giving `sessionToken` implies `header`.
   */
  tokenTransport?: 'header' | 'cookie';
}

/** Calls one frontend operation and returns its `data`. */
export type FrontendCaller = <Op extends FrontendOperation>(op: Op, input: z.input<Op['input']>) => Promise<z.output<Op['output']>>;

/** The low-level core every frontend namespace is built on. */
export function createFrontendCore(options: ClientOptions) {
  if (options.apiToken !== undefined && options.sessionToken !== undefined) {
    throw new TypeError('Give either sessionToken or apiToken, not both.');
  }
  if (options.apiToken !== undefined) return createTokenCore(options, options.apiToken);
  const state = { sessionToken: options.sessionToken, session: null as Envelope<unknown>['session'] };
  const settings = {
    baseUrl: trimBase(options.baseUrl),
    fetch: options.fetch ?? globalThis.fetch,
    ...(options.credentials ? { credentials: options.credentials } : {}),
    headers: (): Record<string, string> => ({
      ...options.headers,
      ...(options.tokenTransport === 'header' || state.sessionToken ? { 'gatehouse-token-transport': 'header' } : {}),
      ...(state.sessionToken ? { authorization: `Bearer ${state.sessionToken}` } : {}),
    }),
  };
  const call: FrontendCaller = async (op, input) => {
    try {
      const { envelope, response } = await callFrontend(settings, op, input);
      // A sign-in over the header transport hands the new token back in a header, never in the body;
      // an empty one says the token is gone (signed out, or no longer valid).
      const token = response.headers.get('gatehouse-session-token');
      if (token !== null) state.sessionToken = token || undefined;
      state.session = envelope.session;
      return envelope.data;
    } catch (error) {
      if (error instanceof GatehouseError && error.status === 401) state.session = null;
      throw error;
    }
  };
  return { call, state };
}

/** The core of a client acting as an organization: a fixed bearer, no session to keep. */
function createTokenCore(options: ClientOptions, apiToken: string) {
  const state = { sessionToken: undefined as string | undefined, session: null as Envelope<unknown>['session'] };
  const settings = {
    baseUrl: trimBase(options.baseUrl),
    fetch: options.fetch ?? globalThis.fetch,
    headers: (): Record<string, string> => ({ ...options.headers, authorization: `Bearer ${apiToken}` }),
  };
  const call: FrontendCaller = async (op, input) => (await callFrontend(settings, op, input)).envelope.data;
  return { call, state };
}

/**
 * A client for the frontend API (`/v1`), for browsers, mobile apps, CLIs and customer scripts.
 *
 * ```ts
 * const client = createClient({ baseUrl: 'http://localhost:8787', sessionToken });
 * const machine = createClient({ baseUrl: 'http://localhost:8787', apiToken: process.env.GATEHOUSE_ORG_TOKEN }); // acts as the organization
 * ```
 *
 * Failures throw a {@link GatehouseError}.
 */
export function createClient(options: ClientOptions) {
  const { call, state } = createFrontendCore(options);
  return {
    auth: authApi(call),
    session: { ...sessionApi(call), ...sessionTokenApi(call), ...organizationSessionApi(call) },
    me: { ...meApi(call), ...myOrganizationsApi(call), workspaces: myWorkspacesApi(call) },
    organizations: { ...organizationsApi(call), tokens: organizationTokensApi(call) },
    workspaces: workspacesApi(call),
    invitations: invitationsApi(call),
    /** Call any frontend operation of the contract directly. */
    call,
    /** The current session token when using the header transport (mobile, CLI, server). */
    get sessionToken(): string | undefined {
      return state.sessionToken;
    },
    /** The envelope session of the last answer (`null` when signed out). */
    get lastSession() {
      return state.session;
    },
  };
}

/** The frontend client's type. */
export type Client = ReturnType<typeof createClient>;
