import type { BackendCaller } from './users.js';

/** `users.sessions.*` of the backend client (filled in by the sessions work). */
export function userSessionsApi(_call: BackendCaller) {
  return {};
}
