import type { BackendOperation, FrontendOperation } from '../operation.js';
import * as apiTokens from './api-tokens.js';
import * as auth from './auth.js';
import * as email from './email.js';
import * as invitations from './invitations.js';
import * as joinCodes from './join-codes.js';
import * as keys from './keys.js';
import * as me from './me.js';
import * as mfa from './mfa.js';
import * as oauth from './oauth.js';
import * as organizations from './organizations.js';
import * as passkeys from './passkeys.js';
import * as sessionToken from './session-token.js';
import * as sessions from './sessions.js';
import * as users from './users.js';
import * as workspaces from './workspaces.js';

/**
 * Every operation of both APIs, in one table. Add a domain by importing its module here; the
 * server binds, the OpenAPI document describes and the SDK calls exactly what is listed.
 */
const modules: Record<string, unknown>[] = [
  users,
  keys,
  auth,
  sessions,
  me,
  sessionToken,
  email,
  organizations,
  workspaces,
  mfa,
  apiTokens,
  joinCodes,
  invitations,
  passkeys,
  oauth,
];

function collect<T>(predicate: (value: unknown) => value is T): T[] {
  return modules.flatMap((m) => Object.values(m).filter(predicate));
}

function isBackend(value: unknown): value is BackendOperation {
  return typeof value === 'object' && value !== null && (value as { api?: string }).api === 'backend';
}

function isFrontend(value: unknown): value is FrontendOperation {
  return typeof value === 'object' && value !== null && (value as { api?: string }).api === 'frontend';
}

/** All backend operations. */
export const backendOperations: readonly BackendOperation[] = collect(isBackend);
/** All frontend operations. */
export const frontendOperations: readonly FrontendOperation[] = collect(isFrontend);

export * from './api-tokens.js';
export * from './auth.js';
export * from './email.js';
export * from './invitations.js';
export * from './join-codes.js';
export * from './keys.js';
export * from './me.js';
export * from './mfa.js';
export * from './oauth.js';
export * from './organizations.js';
export * from './passkeys.js';
export * from './session-token.js';
export * from './sessions.js';
export * from './users.js';
export * from './workspaces.js';
