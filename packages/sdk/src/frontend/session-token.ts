import type { FrontendCaller } from './index.js';

/** The session-token namespace of the frontend client (filled in by its work). */
export function sessionTokenApi(_call: FrontendCaller) {
  return {};
}
