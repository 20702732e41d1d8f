// The cost of authorize() per request: the one query that resolves a member's role and permissions
// in an organization of 100,000 members (plus the JS around it), timed inside the Gatehouse process
// against its own pool. What every organization-scoped request pays on top of its own work.
import { bigOrg, MEMBERS } from '../lib/org.js';
import { expectOk, missingRoutes } from '../lib/target.js';

/** @type {import('../lib/types.js').Scenario} */
export default {
  name: 'authorize',
  title: `authorize() in-process (member of an organization of ${MEMBERS.toLocaleString('en')})`,
  kind: 'custom',
  unavailable: (gatehouse) => missingRoutes(gatehouse, [['POST', '/v1/organizations/members/list']]),

  async run(gatehouse) {
    const org = await bigOrg(gatehouse);
    /** @param {number} concurrency */
    const time = async (concurrency) =>
      expectOk(
        await gatehouse.request(
          'POST',
          '/__bench/authorize',
          { organizationId: org.orgId, userId: org.ownerId, permission: 'members:view', iterations: 5000, concurrency },
          gatehouse.backendHeaders,
        ),
        'POST /__bench/authorize',
      );
    await time(4); // warm-up: JIT, prepared plans, the pool's connections
    const one = await time(1);
    const many = await time(10);
    return {
      'p50 µs (1 at a time)': one.p50Us,
      'p99 µs (1 at a time)': one.p99Us,
      'calls/s (1 at a time)': one.perSec,
      'p50 µs (10 at a time)': many.p50Us,
      'p99 µs (10 at a time)': many.p99Us,
      'calls/s (10 at a time)': many.perSec,
    };
  },
};
