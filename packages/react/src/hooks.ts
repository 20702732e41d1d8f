import type { Client } from '@gatehouse/sdk';
import {
  type GatehouseSession,
  type GatehouseUser,
  type Organization,
  type OrganizationMembership,
  useGatehouseContext,
} from './provider.js';

/** The SDK client the Provider made, for calls no hook covers. */
export function useGatehouseClient(): Client {
  return useGatehouseContext().client;
}

/** The current session: `isLoaded` once the first answer came, `isSignedIn` then. */
export function useSession(): {
  isLoaded: boolean;
  isSignedIn: boolean | undefined;
  session: GatehouseSession | null | undefined;
  error: Error | undefined;
  /** Sign out of this session and reload the state. */
  signOut(): Promise<void>;
  refresh(): Promise<void>;
} {
  const { session, client, refreshSession } = useGatehouseContext();
  const data = session.data;
  return {
    isLoaded: data !== undefined,
    isSignedIn: data === undefined ? undefined : data.session !== null,
    session: data?.session,
    error: session.error,
    async signOut() {
      await client.auth.signOut();
      await refreshSession();
    },
    refresh: refreshSession,
  };
}

/** The signed-in user (`null` when signed out, `undefined` while loading). */
export function useUser(): { isLoaded: boolean; user: GatehouseUser | null | undefined; error: Error | undefined } {
  const { session } = useGatehouseContext();
  return { isLoaded: session.data !== undefined, user: session.data?.user, error: session.error };
}

/** The user's organizations, with their role and permissions in each. */
export function useOrganizationList(): {
  isLoaded: boolean;
  organizations: OrganizationMembership[] | undefined;
  isLoading: boolean;
  error: Error | undefined;
  /** Make one active (`null`: the personal account). */
  setActive(organizationId: string | null): Promise<void>;
  /** Create one (you become its owner); it is not made active. */
  create(name: string): Promise<Organization>;
  refresh(): Promise<void>;
} {
  const { organizations, client, setActiveOrganization, refreshOrganizations } = useGatehouseContext();
  return {
    isLoaded: organizations.data !== undefined,
    organizations: organizations.data,
    isLoading: organizations.isLoading,
    error: organizations.error,
    setActive: setActiveOrganization,
    async create(name) {
      const { organization } = await client.organizations.create({ name });
      await refreshOrganizations();
      return organization;
    },
    refresh: refreshOrganizations,
  };
}

/** The session's active organization and the user's membership in it (`null` in the personal account). */
export function useOrganization(): {
  isLoaded: boolean;
  organization: Organization | null | undefined;
  membership: OrganizationMembership | null | undefined;
} {
  const { session, organizations } = useGatehouseContext();
  const activeId = session.data?.activeOrganizationId;
  if (session.data === undefined) return { isLoaded: false, organization: undefined, membership: undefined };
  if (!activeId) return { isLoaded: true, organization: null, membership: null };
  if (organizations.data === undefined) return { isLoaded: false, organization: undefined, membership: undefined };
  const membership = organizations.data.find((m) => m.organization.id === activeId) ?? null;
  return { isLoaded: true, organization: membership?.organization ?? null, membership };
}

/**
 * Whether the user holds `permission` (e.g. `members:manage`) in the active organization: `undefined`
 * while loading, `false` in the personal account. For hiding controls; the server decides anyway.
 */
export function usePermission(permission: string): boolean | undefined {
  const { isLoaded, membership } = useOrganization();
  if (!isLoaded) return undefined;
  return membership?.permissions.includes(permission) ?? false;
}
