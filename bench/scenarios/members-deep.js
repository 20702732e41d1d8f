// organizations/members/list at a deep cursor (after 90,000 of 100,000 members): keyset pagination
// should make it cost what the first page costs.
import { membersListScenario } from '../lib/members-floor.js';
import { MEMBERS } from '../lib/org.js';

export default membersListScenario({
  name: 'members-deep',
  title: `POST /v1/organizations/members/list, deep cursor (at 90% of ${MEMBERS.toLocaleString('en')} members)`,
  cursorOf: (org) => org.deepCursor,
});
