// `npm run bench [-- <scenario|prefix>... --engine=pglite|postgres --duration=8 --warmup=2 --connections=50]`
// Starts Gatehouse (bench/server.js) and the floor (bench/floor.js) in child processes on fresh
// databases, runs each scenario against both with autocannon on loopback, and writes
// bench/results/*.json and docs/performance.md. See docs/performance.md.
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startChild } from './lib/child.js';
import { createTarget, DEFAULT_POSTGRES_URL, dropStaleSchemas, postgresReachable, postgresVersion, removeTarget } from './lib/db.js';
import { load } from './lib/load.js';
import { machineInfo, writeResult, writeSummary } from './lib/report.js';
import { loadScenarios } from './lib/scenarios.js';
import { makeTarget } from './lib/target.js';

// `npm run bench -- peers|scale|cluster [options]`: suites of their own (bench/suites/), not scenarios.
const suite = process.argv[2];
if (suite === 'peers' || suite === 'scale' || suite === 'cluster') {
  await import(`./suites/${suite}.js`);
  process.exit(process.exitCode ?? 0);
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    engine: { type: 'string', multiple: true },
    duration: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '50' },
    // Write a V8 CPU profile of each server (open in Chrome DevTools or speedscope).
    profile: { type: 'boolean', default: false },
  },
});

/** @type {import('./lib/types.js').RunOptions} */
const options = {
  duration: Number(values.duration),
  warmup: Number(values.warmup),
  connections: Number(values.connections),
};
const postgresUrl = process.env.DATABASE_URL || DEFAULT_POSTGRES_URL;
const requested = (values.engine ?? []).flatMap((e) => e.split(',')).filter(Boolean);
for (const e of requested) if (e !== 'pglite' && e !== 'postgres') throw new Error(`--engine must be pglite or postgres, got "${e}"`);

const scenarios = await loadScenarios(positionals);
/** @type {Array<'pglite' | 'postgres'>} */
let engines = requested.length > 0 ? /** @type {Array<'pglite' | 'postgres'>} */ (requested) : ['pglite', 'postgres'];
let pgVersion;
if (engines.includes('postgres')) {
  if (await postgresReachable(postgresUrl)) {
    pgVersion = await postgresVersion(postgresUrl);
    await dropStaleSchemas(postgresUrl);
  } else if (requested.includes('postgres')) {
    throw new Error(`PostgreSQL is not reachable at ${postgresUrl} (set DATABASE_URL)`);
  } else {
    console.warn(`[bench] PostgreSQL is not reachable at ${postgresUrl}: measuring PGlite only`);
    engines = engines.filter((e) => e !== 'postgres');
  }
}

const machine = machineInfo(pgVersion);
const secretKey = `sk_test_bench${randomBytes(16).toString('hex')}`;
const serverEnv = {
  GATEHOUSE_SECRET_KEY: secretKey,
  GATEHOUSE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  LOG_LEVEL: 'warn',
  // All load comes from one address: the per-IP join limit would answer 429 after 100 joins.
  RATE_LIMITS: 'joinIp=1000000000/900',
  // Cookie scenarios (session-get) send this Origin, as a browser on the SaaS app would.
  ALLOWED_ORIGINS: 'https://app.bench.example',
  BENCH_SCENARIOS: scenarios.map((s) => s.name).join(','),
};

/** Everything to undo on exit, newest first. */
const cleanups = /** @type {Array<() => Promise<void>>} */ ([]);
async function cleanup() {
  while (cleanups.length > 0)
    await cleanups
      .pop()?.()
      .catch((e) => console.error('[bench] cleanup:', e));
}
process.once('SIGINT', async () => {
  await cleanup();
  process.exit(130);
});

console.log(
  `[bench] ${scenarios.map((s) => s.name).join(', ')} on ${engines.join(', ')}: ` +
    `${options.connections} connections, ${options.warmup} s warm-up + ${options.duration} s each, node ${process.version}, ${machine.cpus} cpus`,
);

let failed = false;
/** @type {import('./lib/report.js').Result[]} */
const results = [];
try {
  for (const engine of engines) {
    const gTarget = await createTarget(engine, 'gatehouse', postgresUrl);
    cleanups.push(() => removeTarget(gTarget));
    const fTarget = await createTarget(engine, 'floor', postgresUrl);
    cleanups.push(() => removeTarget(fTarget));
    const gChild = await startChild(
      fileURLToPath(new URL('./server.js', import.meta.url)),
      { ...serverEnv, BENCH_TARGET: JSON.stringify(gTarget) },
      profileArgs('gatehouse', engine),
    );
    cleanups.push(() => gChild.stop());
    const fChild = await startChild(
      fileURLToPath(new URL('./floor.js', import.meta.url)),
      { ...serverEnv, BENCH_TARGET: JSON.stringify(fTarget) },
      profileArgs('floor', engine),
    );
    cleanups.push(() => fChild.stop());
    const gatehouse = makeTarget('gatehouse', engine, gChild.url, secretKey);
    const floor = makeTarget('floor', engine, fChild.url, secretKey);
    console.log(`[bench] ${engine}: Gatehouse pid ${gChild.pid} (${gChild.rssMb()} MiB at start), floor pid ${fChild.pid}`);

    for (const scenario of scenarios) {
      if (scenario.engines && !scenario.engines.includes(engine)) continue;
      if (scenario.once && engine !== engines[0]) continue;
      const base = {
        scenario: scenario.name,
        title: scenario.title,
        kind: scenario.kind,
        engine,
        date: new Date().toISOString(),
        // Other work on the machine skews figures: the 1-minute load average before the scenario says how busy it was.
        loadAverage: round(loadavg()[0] ?? 0),
        settings: { duration: options.duration, warmup: options.warmup, connections: options.connections },
        ...(scenario.floorSql ? { floorSql: scenario.floorSql } : {}),
        machine,
      };
      try {
        const result = { ...base, ...(await measure(scenario, engine, { gatehouse, floor }, { gatehouse: gChild, floor: fChild })) };
        results.push(result);
        writeResult(result);
      } catch (error) {
        // One broken scenario (a feature half-built) does not stop the others; the run still fails.
        failed = true;
        const message = error instanceof Error ? error.message : String(error);
        console.error(`[bench] ${scenario.name} (${engine}) failed: ${message}`);
        const result = { ...base, gatehouse: {}, error: message };
        results.push(result);
        writeResult(result);
      }
    }
    // Stop this engine's servers before the next engine is measured, so they do not share the cores.
    // The pause lets requests that autocannon abandoned at its deadline finish first.
    await sleep(1000);
    await cleanup();
  }
} finally {
  await cleanup();
}

writeSummary(machine);
console.log('[bench] wrote bench/results/*.json, bench/results/latest.json and docs/performance.md');
if (failed) {
  console.error('[bench] some runs had errors or non-2xx answers: their figures are not comparable');
  process.exit(1);
}

/**
 * Measure one scenario on one engine: its custom run, or the same load on the floor and on Gatehouse.
 * @param {import('./lib/types.js').Scenario} scenario
 * @param {'pglite' | 'postgres'} engine
 * @param {Record<'floor' | 'gatehouse', import('./lib/types.js').Target>} targets
 * @param {Record<'floor' | 'gatehouse', import('./lib/child.js').Child>} children
 * @returns {Promise<Pick<import('./lib/report.js').Result, 'gatehouse' | 'floor' | 'ratio' | 'skipped'>>}
 */
async function measure(scenario, engine, targets, children) {
  const reason = await scenario.unavailable?.(targets.gatehouse);
  if (reason) {
    console.log(`[bench] ${scenario.name} (${engine}): skipped, ${reason}`);
    return { gatehouse: {}, skipped: reason };
  }
  if (scenario.run) {
    const figures = await scenario.run(targets.gatehouse, options);
    console.log(`[bench] ${scenario.name} (${engine}): ${JSON.stringify(figures)}`);
    return { gatehouse: figures };
  }
  const makeRequests = scenario.requests;
  if (!makeRequests) throw new Error(`scenario ${scenario.name} has neither requests() nor run()`);
  // Both databases are seeded at once (they are separate), which halves the wait for big data sets.
  const [floorState, gatehouseState] = await Promise.all([
    scenario.prepare?.(targets.floor, options),
    scenario.prepare?.(targets.gatehouse, options),
  ]);
  const states = { floor: floorState, gatehouse: gatehouseState };
  const sides = /** @type {Record<'floor' | 'gatehouse', import('./lib/report.js').SideFigures>} */ ({});
  for (const role of /** @type {const} */ (['floor', 'gatehouse'])) {
    const target = targets[role];
    const child = children[role];
    const requests = makeRequests(target, states[role]);
    await probe(target, requests, `${scenario.name} on ${role} (${engine})`);
    await load({ url: target.url, requests, connections: options.connections, duration: options.warmup });
    await sleep(1000);
    const rssIdleMb = child.rssMb();
    const figures = await load({ url: target.url, requests, connections: options.connections, duration: options.duration, pid: child.pid });
    sides[role] = { ...figures, rssIdleMb };
    if (figures.non2xx > 0 || figures.errors > 0) {
      failed = true;
      console.error(`[bench] ${scenario.name} on ${role} (${engine}): ${figures.non2xx} non-2xx answers, ${figures.errors} errors`);
    }
  }
  const g = sides.gatehouse;
  const f = sides.floor;
  const ratio = { throughput: round(g.reqPerSec / f.reqPerSec) };
  console.log(
    `[bench] ${scenario.name} (${engine}): Gatehouse ${g.reqPerSec} req/s p50 ${g.p50} ms p99 ${g.p99} ms ` +
      `CPU ${g.cpuUsPerRequest} µs/req RSS ${g.rssIdleMb}/${g.rssLoadedMb} MiB | floor ${f.reqPerSec} req/s p50 ${f.p50} ms p99 ${f.p99} ms ` +
      `CPU ${f.cpuUsPerRequest} µs/req | ratio ${ratio.throughput}x`,
  );
  return { gatehouse: g, floor: f, ratio };
}

/**
 * Node flags for a server child: a CPU profile in bench/results/profiles/ with --profile.
 * @param {string} role
 * @param {string} engine
 */
function profileArgs(role, engine) {
  if (!values.profile) return [];
  const dir = fileURLToPath(new URL('./results/profiles/', import.meta.url));
  return ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${role}-${engine}-${Date.now()}.cpuprofile`];
}

/** @param {number} n */
function round(n) {
  return Math.round(n * 100) / 100;
}

/**
 * Send the first request once and fail loudly if it is not a 2xx, before measuring anything.
 * @param {import('./lib/types.js').Target} target
 * @param {import('./lib/types.js').LoadRequests} requests
 * @param {string} what
 */
async function probe(target, requests, what) {
  const first = /** @type {import('./lib/types.js').LoadRequest} */ (requests[0]);
  const req = first.setupRequest ? first.setupRequest({ ...first }) : first;
  const res = await fetch(`${target.url}${req.path}`, {
    method: req.method ?? 'GET',
    headers: req.headers ?? {},
    ...(req.body === undefined ? {} : { body: req.body }),
  });
  if (!res.ok) throw new Error(`${what}: ${req.method ?? 'GET'} ${req.path} answered ${res.status}: ${await res.text()}`);
}
