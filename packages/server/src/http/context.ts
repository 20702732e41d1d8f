import type { Logger } from 'pino';

/** The admin principal: a backend API call with a secret key. */
export interface AdminPrincipal {
  type: 'admin';
  /** The secret key's id, or `env` for GATEHOUSE_SECRET_KEY. */
  keyId: string;
}

/** A signed-in end user, from a session cookie or bearer session token. */
export interface UserPrincipal {
  type: 'user';
  userId: string;
  sessionId: string;
  activeOrganizationId: string | null;
  activeWorkspaceId: string | null;
  /** When the user last proved a password or second factor (for the re-authentication rule). */
  reauthenticatedAt: Date | null;
  /** How the session token arrived; cookie sessions need the CSRF Origin check. */
  transport: 'cookie' | 'bearer';
}

/** An organization API token acting as its organization. */
export interface TokenPrincipal {
  type: 'token';
  tokenId: string;
  organizationId: string;
  permissions: string[];
}

export type Principal = AdminPrincipal | UserPrincipal | TokenPrincipal;

/** The `session` field of the frontend envelope. */
export interface EnvelopeSession {
  id: string;
  userId: string;
  activeOrganizationId: string | null;
  activeWorkspaceId: string | null;
}

/** Hono's environment: per-request values set by middleware. */
export interface AppEnv {
  Variables: {
    requestId: string;
    log: Logger;
    /** The client's IP address, per TRUST_PROXY. */
    ip: string;
    principal: Principal | undefined;
    /** Set by a handler that changes the session (sign-in, sign-out, set-active). */
    envelopeSession: EnvelopeSession | null | undefined;
  };
}
