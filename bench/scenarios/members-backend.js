// The same deep page through the backend API (secret key: no session, no membership lookup), so
// that members-deep minus this is the per-request cost of session resolution + authorize.
import { MEMBERS_FLOOR_SQL, registerMembersFloor } from '../lib/members-floor.js';
import { bigOrg, MEMBERS } from '../lib/org.js';
import { missingRoutes } from '../lib/target.js';

/** @type {import('../lib/types.js').Scenario} */
export default {
  name: 'members-backend',
  title: `GET /backend/v1/organizations/{id}/members, deep cursor (at 90% of ${MEMBERS.toLocaleString('en')} members)`,
  kind: 'read',
  floorSql: MEMBERS_FLOOR_SQL,
  floor: registerMembersFloor,
  unavailable: (gatehouse) =>
    missingRoutes(gatehouse, [
      ['POST', '/v1/auth/sign-in'],
      ['POST', '/backend/v1/organizations'],
      ['GET', '/backend/v1/organizations/org_x/members'],
    ]),
  prepare: bigOrg,
  requests: (target, org) => [
    {
      method: 'GET',
      path: `/backend/v1/organizations/${org.orgId}/members?limit=20&cursor=${org.deepCursor}`,
      headers: target.backendHeaders,
    },
  ],
};
