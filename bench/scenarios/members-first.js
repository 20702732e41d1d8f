// organizations/members/list, first page, as a member (session + authorize + one keyset page),
// on an organization with 100,000 members.
import { membersListScenario } from '../lib/members-floor.js';
import { MEMBERS } from '../lib/org.js';

export default membersListScenario({
  name: 'members-first',
  title: `POST /v1/organizations/members/list, first page (${MEMBERS.toLocaleString('en')} members)`,
  cursorOf: () => undefined,
});
