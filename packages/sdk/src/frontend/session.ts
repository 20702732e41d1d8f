import type { FrontendCaller } from './index.js';

/** The session namespace of the frontend client (filled in by its work). */
export function sessionApi(_call: FrontendCaller) {
  return {};
}
