// Sign-in latency at Gatehouse's argon2id parameters: POST /v1/auth/sign-in one at a time, then two
// at a time (one per core), next to the cost of argon2 verify alone in this process (its floor).
import { hashPassword, verifyPassword } from '../../packages/server/dist/security/passwords.js';
import { timeLoop } from '../lib/measure.js';
import { cycle, runTag } from '../lib/seed.js';
import { BENCH_PASSWORD, signedInUsers, signIn } from '../lib/sessions.js';
import { missingRoutes } from '../lib/target.js';

/** @type {import('../lib/types.js').Scenario} */
export default {
  name: 'sign-in',
  title: 'POST /v1/auth/sign-in (argon2id, one and two at a time)',
  kind: 'custom',
  unavailable: (gatehouse) => missingRoutes(gatehouse, [['POST', '/v1/auth/sign-in']]),

  async run(gatehouse, options) {
    const users = await signedInUsers(gatehouse, 10, `signin-${runTag()}`);
    const next = cycle(users.map((u) => u.email));
    const seconds = Math.max(3, options.duration / 2);
    const sequential = await timeLoop(() => signIn(gatehouse, next()), seconds, 1);
    const parallel = await timeLoop(() => signIn(gatehouse, next()), seconds, 2);
    const hash = await hashPassword(BENCH_PASSWORD);
    const argon2 = await timeLoop(() => verifyPassword(hash, BENCH_PASSWORD), 2, 1);
    return {
      'p50 ms': sequential.p50,
      'p99 ms': sequential.p99,
      'sign-ins/s (1 at a time)': sequential.perSec,
      'p50 ms (2 at a time)': parallel.p50,
      'p99 ms (2 at a time)': parallel.p99,
      'sign-ins/s (2 at a time)': parallel.perSec,
      'argon2 verify p50 ms (in-process)': argon2.p50,
    };
  },
};
