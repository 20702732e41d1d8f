import type { FrontendCaller } from './index.js';

/** The auth namespace of the frontend client (filled in by its work). */
export function authApi(_call: FrontendCaller) {
  return {};
}
