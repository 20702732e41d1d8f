import type { Permission } from '@gatehouse/contract';
import type { Context } from 'hono';
import type { Db } from '../../db/schema.js';
import type { Deps } from '../../deps.js';
import type { AppEnv, Principal, UserPrincipal } from '../../http/context.js';
import { ApiError } from '../../http/errors.js';
import { type AuditActor, actorOf, recordDenial } from '../audit/record.js';
import type { MembershipAccessRow } from '../sessions/queries.js';
import { findAccess } from './members-queries.js';
import { organizationExists } from './organizations-queries.js';

/** What a caller may do in one organization, resolved once per request. */
export interface OrgAccess {
  organizationId: string;
  principal: Principal;
  actor: AuditActor;
  /** The backend secret key: may do everything (the last-owner rule still holds). */
  admin: boolean;
  /** The caller's own membership, when the caller is a user. */
  membership: { id: string; roleId: string; roleKey: string } | null;
  /** Expanded permissions (empty for the secret key, which bypasses them). */
  permissions: ReadonlySet<string>;
}

/** True when the caller holds every permission in `wanted` (the no-escalation test). */
export function holdsAll(access: OrgAccess, wanted: Iterable<string>): boolean {
  if (access.admin) return true;
  for (const p of wanted) if (!access.permissions.has(p)) return false;
  return true;
}

/** True when the caller is an owner of the organization (only owners make or touch owners). */
export function isOwner(access: OrgAccess): boolean {
  return access.admin || access.membership?.roleKey === 'owner';
}

// Per request, never module-wide: a permission cache outliving its request would survive role
// changes and would differ between processes. The WeakMap entry dies with the request's context.
const perRequest = new WeakMap<Context<AppEnv>, Map<string, Promise<OrgAccess | undefined>>>();

async function resolveAccess(db: Db, principal: Principal, organizationId: string): Promise<OrgAccess | undefined> {
  const actor = actorOf(principal);
  if (principal.type === 'admin') {
    if (!(await organizationExists(db, organizationId))) return undefined;
    return { organizationId, principal, actor, admin: true, membership: null, permissions: new Set() };
  }
  if (principal.type === 'token') {
    // A token acts only on its own organization; any other id looks like one that does not exist.
    if (principal.organizationId !== organizationId) return undefined;
    return { organizationId, principal, actor, admin: false, membership: null, permissions: new Set(principal.permissions) };
  }
  return memberAccess(principal, organizationId, await findAccess(db, organizationId, principal.userId));
}

/** A user's access from their membership row; undefined when they are not a member. */
function memberAccess(
  principal: UserPrincipal,
  organizationId: string,
  row: MembershipAccessRow | null | undefined,
): OrgAccess | undefined {
  if (!row) return undefined;
  return {
    organizationId,
    principal,
    actor: actorOf(principal),
    admin: false,
    membership: { id: row.id, roleId: row.role_id, roleKey: row.role_key },
    permissions: new Set(row.permissions),
  };
}

function requestCache(c: Context<AppEnv>): Map<string, Promise<OrgAccess | undefined>> {
  let cache = perRequest.get(c);
  if (!cache) {
    cache = new Map();
    perRequest.set(c, cache);
  }
  return cache;
}

/**
 * Keep the membership the session resolver read together with the session (null: not a member),
 * so authorize() on that organization answers from memory for the rest of the request.
 */
export function rememberMembership(
  c: Context<AppEnv>,
  principal: UserPrincipal,
  organizationId: string,
  row: MembershipAccessRow | null,
): void {
  requestCache(c).set(organizationId, Promise.resolve(memberAccess(principal, organizationId, row)));
}

/**
 * The one authorization line of an organization-scoped handler. A caller who is not a member (or a
 * token of another organization) gets 404 `not_found`, exactly like an organization that does not
 * exist, so organization ids cannot be probed; a member without `permission` gets 403 `forbidden`.
 * Pass no permission for "any member" (leave).
 */
export async function authorize(
  c: Context<AppEnv>,
  deps: Pick<Deps, 'db' | 'clock'>,
  organizationId: string,
  permission?: Permission,
): Promise<OrgAccess> {
  const principal = c.get('principal');
  if (!principal) throw new ApiError('unauthenticated');
  const cache = requestCache(c);
  let pending = cache.get(organizationId);
  if (!pending) {
    pending = resolveAccess(deps.db, principal, organizationId);
    cache.set(organizationId, pending);
  }
  const access = await pending;
  if (!access) throw new ApiError('not_found', 'No such organization.');
  if (permission !== undefined && !holdsAll(access, [permission])) {
    return refuse(c, deps, access, `You need the ${permission} permission in this organization.`);
  }
  return access;
}

/** 403 `forbidden` for a caller who may see the organization but lacks a right, written to its audit log first. */
export async function refuse(c: Context<AppEnv>, deps: Pick<Deps, 'db' | 'clock'>, access: OrgAccess, reason: string): Promise<never> {
  await recordDenial(deps.db, {
    organizationId: access.organizationId,
    actor: access.actor,
    ip: c.get('ip') ?? null,
    at: deps.clock.now(),
    reason,
    operation: c.req.path,
    log: c.get('log'),
  });
  throw new ApiError('forbidden', reason);
}

/**
 * The caller's standing re-read inside a change's transaction, after the organization row is
 * locked: authorize() ran before the lock, and a concurrent change may have demoted or removed the
 * caller since. A caller who is no longer a member gets 404, like any non-member. The secret key
 * and org tokens keep their rights for the request.
 */
export async function currentAccess(tx: Db, access: OrgAccess): Promise<OrgAccess> {
  if (access.membership === null) return access;
  const fresh = await resolveAccess(tx, access.principal, access.organizationId);
  if (!fresh) throw new ApiError('not_found', 'No such organization.');
  return fresh;
}

/** 403 `forbidden` unless the caller holds `permission`: the re-check of authorize() under the lock. */
export function assertHolds(access: OrgAccess, permission: Permission): void {
  if (!holdsAll(access, [permission])) throw new ApiError('forbidden', `You need the ${permission} permission in this organization.`);
}
