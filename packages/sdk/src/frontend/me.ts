import type { FrontendCaller } from './index.js';

/** The me namespace of the frontend client (filled in by its work). */
export function meApi(_call: FrontendCaller) {
  return {};
}
