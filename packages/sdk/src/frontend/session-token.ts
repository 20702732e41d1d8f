import * as ops from '@gatehouse/contract';
import type { FrontendCaller } from './index.js';

/** The session-token part of `client.session`. */
export function sessionTokenApi(call: FrontendCaller) {
  return {
    /**
     * A short-lived JWT of this session (`{ token, expiresAt }`, 60 s by default) to send to your own
     * servers, which check it offline with `verifySessionToken`.
     */
    token: () => call(ops.createSessionToken, {}),
  };
}
