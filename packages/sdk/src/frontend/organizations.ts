import type { FrontendCaller } from './index.js';

/** The organizations namespace of the frontend client (filled in by its work). */
export function organizationsApi(_call: FrontendCaller) {
  return {};
}
