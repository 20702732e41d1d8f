import { type Client, createClient } from '@gatehouse/sdk';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';

/** The signed-in user, as `session/get` returns it. */
export type GatehouseUser = NonNullable<Awaited<ReturnType<Client['session']['get']>>['user']>;
/** The current session, as `session/get` returns it. */
export type GatehouseSession = NonNullable<Awaited<ReturnType<Client['session']['get']>>['session']>;
/** One of the user's organizations with their role and expanded permissions. */
export type OrganizationMembership = Awaited<ReturnType<Client['organizations']['list']>>['organizations'][number];
/** An organization. */
export type Organization = OrganizationMembership['organization'];

/** Light, dark, or whichever the operating system prefers. */
export type Theme = 'light' | 'dark' | 'system';

/** Something that loads: its value, whether it is still loading, and the failure if it failed. */
export interface Loadable<T> {
  /** `undefined` until the first answer. */
  data: T | undefined;
  isLoading: boolean;
  error: Error | undefined;
}

interface GatehouseContextValue {
  client: Client;
  theme: Theme;
  session: Loadable<{ session: GatehouseSession | null; user: GatehouseUser | null; activeOrganizationId: string | null }>;
  organizations: Loadable<OrganizationMembership[]>;
  /** Load the session and user again (after signing in or out, or changing the profile). */
  refreshSession(): Promise<void>;
  /** Load the user's organizations again (after creating, joining or leaving one). */
  refreshOrganizations(): Promise<void>;
  /** Make an organization active (`null`: the personal account) and reload the session. */
  setActiveOrganization(organizationId: string | null): Promise<void>;
}

const GatehouseContext = createContext<GatehouseContextValue | null>(null);

/** Props of {@link GatehouseProvider}. */
export interface GatehouseProviderProps {
  /**
   * Where the frontend API is: the path your app mounts the SDK's `createConnector` at (`/api/auth`),
   * or Gatehouse's own URL (`https://auth.example.com`). Relative paths stay on the page's origin.
   */
  basePath: string;
  /** The widgets' color scheme. Default `system`. */
  theme?: Theme;
  /** A client to use instead of one made from `basePath` (tests, custom `fetch`). */
  client?: Client;
  children?: ReactNode;
}

/** Cross-origin calls need the cookie sent along; same-origin ones (the connector) get it anyway. */
function credentialsFor(basePath: string): RequestCredentials | undefined {
  if (typeof window === 'undefined' || !/^https?:\/\//.test(basePath)) return undefined;
  return new URL(basePath).origin === window.location.origin ? undefined : 'include';
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** Every organization of the signed-in user: the API pages them 100 at a time. */
async function listAllOrganizations(client: Client): Promise<OrganizationMembership[]> {
  const all: OrganizationMembership[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.organizations.list({ limit: 100, ...(cursor ? { cursor } : {}) });
    all.push(...page.organizations);
    cursor = page.hasMore && page.nextCursor ? page.nextCursor : undefined;
  } while (cursor);
  return all;
}

/**
 * Makes Gatehouse available to the widgets and hooks below it. It talks to the frontend API only
 * through `@gatehouse/sdk`, with the `__session` cookie (which page JavaScript never sees).
 *
 * ```tsx
 * <GatehouseProvider basePath="/api/auth"><App /></GatehouseProvider>
 * ```
 */
export function GatehouseProvider({ basePath, theme = 'system', client: given, children }: GatehouseProviderProps) {
  const client = useMemo(() => {
    if (given) return given;
    const credentials = credentialsFor(basePath);
    return createClient({ baseUrl: basePath, ...(credentials ? { credentials } : {}) });
  }, [basePath, given]);
  const [session, setSession] = useState<GatehouseContextValue['session']>({ data: undefined, isLoading: true, error: undefined });
  const [organizations, setOrganizations] = useState<GatehouseContextValue['organizations']>({
    data: undefined,
    isLoading: false,
    error: undefined,
  });
  // Answers to older requests must not overwrite newer ones (sign out while the list loads).
  const generation = useRef({ session: 0, organizations: 0 });

  const refreshOrganizations = useCallback(async () => {
    const mine = ++generation.current.organizations;
    setOrganizations((s) => ({ ...s, isLoading: true, error: undefined }));
    try {
      const list = await listAllOrganizations(client);
      if (mine === generation.current.organizations) setOrganizations({ data: list, isLoading: false, error: undefined });
    } catch (error) {
      if (mine === generation.current.organizations) setOrganizations((s) => ({ ...s, isLoading: false, error: asError(error) }));
    }
  }, [client]);

  const refreshSession = useCallback(async () => {
    const mine = ++generation.current.session;
    setSession((s) => ({ ...s, isLoading: true, error: undefined }));
    try {
      const answer = await client.session.get();
      if (mine !== generation.current.session) return;
      // The envelope's session names the active organization; `session/get` describes the device.
      const data = { ...answer, activeOrganizationId: client.lastSession?.activeOrganizationId ?? null };
      setSession({ data, isLoading: false, error: undefined });
      if (data.user) await refreshOrganizations();
      else {
        generation.current.organizations++;
        setOrganizations({ data: undefined, isLoading: false, error: undefined });
      }
    } catch (error) {
      if (mine === generation.current.session) setSession((s) => ({ ...s, isLoading: false, error: asError(error) }));
    }
  }, [client, refreshOrganizations]);

  const setActiveOrganization = useCallback(
    async (organizationId: string | null) => {
      await client.session.setActive({ organizationId });
      await refreshSession();
    },
    [client, refreshSession],
  );

  useEffect(() => {
    void refreshSession();
  }, [refreshSession]);

  const value = useMemo(
    () => ({ client, theme, session, organizations, refreshSession, refreshOrganizations, setActiveOrganization }),
    [client, theme, session, organizations, refreshSession, refreshOrganizations, setActiveOrganization],
  );
  return <GatehouseContext.Provider value={value}>{children}</GatehouseContext.Provider>;
}

/** The Provider's state; throws outside a {@link GatehouseProvider}. */
export function useGatehouseContext(): GatehouseContextValue {
  const value = useContext(GatehouseContext);
  if (!value) throw new Error('Gatehouse widgets and hooks must be inside <GatehouseProvider basePath="…">.');
  return value;
}
