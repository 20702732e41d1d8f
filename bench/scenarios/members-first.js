// organizations/members/list, first page, as a member (session + authorize + one keyset page),
// on an organization with 100,000 members.
import { MEMBERS_FLOOR_SQL, registerMembersFloor } from '../lib/members-floor.js';
import { bigOrg, MEMBERS } from '../lib/org.js';
import { sessionHeaders } from '../lib/sessions.js';
import { missingRoutes } from '../lib/target.js';

/** @type {import('../lib/types.js').Scenario} */
export default {
  name: 'members-first',
  title: `POST /v1/organizations/members/list, first page (${MEMBERS.toLocaleString('en')} members)`,
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
      body: JSON.stringify({ organizationId: org.orgId, limit: 20 }),
    },
  ],
};
