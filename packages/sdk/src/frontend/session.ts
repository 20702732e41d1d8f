import * as ops from '@gatehouse/contract';
import type { FrontendCaller } from './index.js';

/** `session.*` of the frontend client. */
export function sessionApi(call: FrontendCaller) {
  return {
    /** The current session and user; both `null` when signed out. */
    get: () => call(ops.getSession, {}),
  };
}
