// `npm run bench -- cluster [--rounds=3] [--members=10000] [--duration=5] [--warmup=2] [--connections=50]`
// Two Gatehouse processes on one PostgreSQL schema (and one Redis, REDIS_URL or the local default when
// it answers), behind a port-splitting load generator (half the connections on each port), against
// one process on the same data: session/get and the members list.
import { createConnection } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeExtra } from '../lib/extra-report.js';
import { load } from '../lib/load.js';
import { cycle, runTag } from '../lib/seed.js';
import { sessionHeaders, signedInUsers } from '../lib/sessions.js';
import { cleanup, freshSchema, median, requirePostgres, round, startServer, suiteArgs, updateDocs } from './common.js';

const values = suiteArgs({ rounds: { type: 'string', default: '3' }, members: { type: 'string', default: '10000' } });
const options = { duration: Number(values.duration), warmup: Number(values.warmup), connections: Number(values.connections) };
const rounds = Number(values.rounds);
const members = Number(values.members);
const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim();

const machine = await requirePostgres();
process.env.BENCH_MEMBERS = String(members);
const { bigOrg } = await import('../lib/org.js');
const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const redis = (await reachable(redisUrl)) ? redisUrl : undefined;
let failed = false;

try {
  const database = await freshSchema('gatehouse');
  /** @type {Record<string, string>} */
  const env = redis ? { REDIS_URL: redis } : {};
  // One after the other: the first applies the migrations, the second finds them applied.
  const a = await startServer('gatehouse', database, env);
  const b = await startServer('gatehouse', database, env);
  console.log(`[bench] cluster: Gatehouse pids ${a.child.pid} and ${b.child.pid} on one schema${redis ? ` and ${redis}` : ' (no Redis)'}`);
  const org = await bigOrg(a.target);
  const users = await signedInUsers(a.target, 20, `cluster-${runTag()}`);

  /** @type {Array<{ op: string, title: string, requests: () => import('../lib/types.js').LoadRequests }>} */
  const operations = [
    {
      op: 'session-get',
      title: 'POST /v1/session/get (20 sessions)',
      requests: () => {
        const next = cycle(users.map((u) => sessionHeaders(u.token)));
        return [{ method: 'POST', path: '/v1/session/get', body: '{}', setupRequest: (req) => ({ ...req, headers: next() }) }];
      },
    },
    {
      op: 'members-list',
      title: `POST /v1/organizations/members/list, first page (${members.toLocaleString('en')} members)`,
      requests: () => [
        {
          method: 'POST',
          path: '/v1/organizations/members/list',
          headers: sessionHeaders(org.ownerToken),
          body: JSON.stringify({ organizationId: org.orgId, limit: 20 }),
        },
      ],
    },
  ];

  /**
   * The load on one process (all connections) or split between both (half each, at once).
   * @param {'one' | 'two'} shape
   * @param {() => import('../lib/types.js').LoadRequests} requests
   * @param {number} duration
   */
  const run = async (shape, requests, duration) => {
    if (shape === 'one') return [await load({ url: a.target.url, requests: requests(), connections: options.connections, duration })];
    const half = Math.max(1, Math.floor(options.connections / 2));
    return Promise.all([
      load({ url: a.target.url, requests: requests(), connections: half, duration }),
      load({ url: b.target.url, requests: requests(), connections: options.connections - half, duration }),
    ]);
  };

  /** @type {Record<string, Record<'one' | 'two', Array<{ reqPerSec: number, p50: number, p99: number }>>>} */
  const figures = {};
  for (let r = 0; r < rounds; r++) {
    for (const operation of operations) {
      figures[operation.op] ??= { one: [], two: [] };
      for (const shape of /** @type {Array<'one' | 'two'>} */ (r % 2 === 0 ? ['one', 'two'] : ['two', 'one'])) {
        await run(shape, operation.requests, options.warmup);
        await sleep(1000);
        const parts = await run(shape, operation.requests, options.duration);
        for (const part of parts) {
          if (part.non2xx > 0 || part.errors > 0) {
            failed = true;
            console.error(`[bench] cluster: ${operation.op} (${shape}): ${part.non2xx} non-2xx answers, ${part.errors} errors`);
          }
        }
        const figure = {
          reqPerSec: parts.reduce((sum, x) => sum + x.reqPerSec, 0),
          // Two load generators: the mean of their medians, the worse of their 99th percentiles.
          p50: round(parts.reduce((sum, x) => sum + x.p50, 0) / parts.length),
          p99: Math.max(...parts.map((x) => x.p99)),
        };
        figures[operation.op]?.[shape].push(figure);
        console.log(
          `[bench] cluster round ${r + 1}: ${operation.op} on ${shape}: ${figure.reqPerSec} req/s p50 ${figure.p50} ms p99 ${figure.p99} ms`,
        );
      }
    }
  }
  const rows = operations.map((o) => {
    const of = (/** @type {'one' | 'two'} */ shape) => {
      const runs = figures[o.op]?.[shape] ?? [];
      return {
        reqPerSec: median(runs.map((x) => x.reqPerSec)),
        p50: median(runs.map((x) => x.p50)),
        p99: median(runs.map((x) => x.p99)),
        rounds: runs.map((x) => x.reqPerSec),
      };
    };
    const one = of('one');
    const two = of('two');
    return { op: o.op, title: o.title, one, two, ratio: round(two.reqPerSec / one.reqPerSec) };
  });
  for (const row of rows) console.log(`[bench] cluster: ${row.op}: two / one ${row.ratio}x`);
  writeExtra('cluster', { command, machine, members, rounds, redis: Boolean(redis), settings: options, failed, operations: rows });
  // Let requests that autocannon abandoned at its deadline finish before the servers stop.
  await sleep(1000);
} finally {
  await cleanup();
}
updateDocs(machine);
if (failed) {
  console.error('[bench] cluster: some runs had errors or non-2xx answers: their figures are not comparable');
  process.exit(1);
}

/** Whether something accepts TCP connections at the URL's host and port. @param {string} url */
function reachable(url) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || 6379) });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}
