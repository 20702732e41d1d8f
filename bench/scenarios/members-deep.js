// organizations/members/list at a deep cursor (after 90,000 of 100,000 members): keyset pagination
// should make it cost what the first page costs.
import { MEMBERS_FLOOR_SQL, registerMembersFloor } from '../lib/members-floor.js';
import { bigOrg, MEMBERS } from '../lib/org.js';
import { sessionHeaders } from '../lib/sessions.js';
import { missingRoutes } from '../lib/target.js';

/** @type {import('../lib/types.js').Scenario} */
export default {
  name: 'members-deep',
  title: `POST /v1/organizations/members/list, deep cursor (at 90% of ${MEMBERS.toLocaleString('en')} members)`,
  kind: 'read',
  floorSql: MEMBERS_FLOOR_SQL,
  floor: registerMembersFloor,
  unavailable: (gatehouse) =>
    missingRoutes(gatehouse, [
      ['POST', '/v1/auth/sign-in'],
      ['POST', '/backend/v1/organizations'],
      ['POST', '/v1/organizations/members/list'],
    ]),
  prepare: bigOrg,
  requests: (_target, org) => [
    {
      method: 'POST',
      path: '/v1/organizations/members/list',
      headers: sessionHeaders(org.ownerToken),
      body: JSON.stringify({ organizationId: org.orgId, limit: 20, cursor: org.deepCursor }),
    },
  ],
};
