import type { BackendCaller } from './users.js';

/** `organizations.*`, `permissions.*` and `users.memberships.*` of the backend client (filled in by the organizations work). */
export function organizationsApi(_call: BackendCaller) {
  return {};
}

export function permissionsApi(_call: BackendCaller) {
  return {};
}

export function userMembershipsApi(_call: BackendCaller) {
  return {};
}
