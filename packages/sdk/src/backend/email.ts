import type { BackendCaller } from './users.js';

/** `outbox.*` and `sessions.verify` of the backend client (filled in by the email and session-token work). */
export function outboxApi(_call: BackendCaller) {
  return {};
}

export function sessionsApi(_call: BackendCaller) {
  return {};
}
