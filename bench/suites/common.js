// What the suites that are not per-scenario runs (`npm run bench -- peers|scale|cluster`) share:
// their options, a cleanup stack, and Gatehouse / floor children started as bench/run.js starts them.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startChild } from '../lib/child.js';
import { createTarget, DEFAULT_POSTGRES_URL, dropStaleSchemas, postgresReachable, postgresVersion, removeTarget } from '../lib/db.js';
import { machineInfo, writeSummary } from '../lib/report.js';
import { makeTarget } from '../lib/target.js';

export const postgresUrl = process.env.DATABASE_URL || DEFAULT_POSTGRES_URL;

/**
 * The suite's options (after `npm run bench -- <suite>`), with the shared ones.
 * @template {Record<string, { type: 'string' | 'boolean', default?: string | boolean }>} T
 * @param {T} options
 */
export function suiteArgs(options) {
  return parseArgs({
    args: process.argv.slice(3),
    options: {
      duration: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '2' },
      connections: { type: 'string', default: '50' },
      ...options,
    },
  }).values;
}

/** Everything to undo on exit, newest first. */
const cleanups = /** @type {Array<() => Promise<void>>} */ ([]);

/** @param {() => Promise<void>} fn */
export function onCleanup(fn) {
  cleanups.push(fn);
}

export async function cleanup() {
  while (cleanups.length > 0)
    await cleanups
      .pop()?.()
      .catch((e) => console.error('[bench] cleanup:', e));
}
process.once('SIGINT', async () => {
  await cleanup();
  process.exit(130);
});

/** PostgreSQL is required by these suites: its version (for the machine info), after dropping stale bench schemas. */
export async function requirePostgres() {
  if (!(await postgresReachable(postgresUrl))) throw new Error(`PostgreSQL is not reachable at ${postgresUrl} (set DATABASE_URL)`);
  await dropStaleSchemas(postgresUrl);
  return machineInfo(await postgresVersion(postgresUrl));
}

/**
 * Rebuild docs/performance.md with this suite's section. Its "Machine" line stays the one of the last
 * scenario run (bench/results/latest.json), which the scenario tables are from; each suite's section names its own.
 * @param {import('../lib/report.js').Machine} machine this run's
 */
export function updateDocs(machine) {
  let previous;
  try {
    previous = JSON.parse(readFileSync(new URL('../results/latest.json', import.meta.url), 'utf8')).machine;
  } catch {}
  writeSummary(previous ?? machine);
}

export const secretKey = `sk_test_bench${randomBytes(16).toString('hex')}`;

/** The environment of every server child: the same as bench/run.js gives. */
export const serverEnv = {
  GATEHOUSE_SECRET_KEY: secretKey,
  GATEHOUSE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  LOG_LEVEL: 'warn',
  RATE_LIMITS: 'joinIp=1000000000/900',
};

/**
 * A fresh PostgreSQL schema for `role`, removed at cleanup.
 * @param {'gatehouse' | 'floor'} role
 */
export async function freshSchema(role) {
  const target = await createTarget('postgres', role, postgresUrl);
  onCleanup(() => removeTarget(target));
  return target;
}

/**
 * bench/server.js (Gatehouse) or bench/floor.js on a database target, stopped at cleanup.
 * @param {'gatehouse' | 'floor'} role
 * @param {import('../lib/db.js').BenchTarget} database
 * @param {Record<string, string>} [env] more variables (BENCH_SCENARIOS: the floor routes to register)
 */
export async function startServer(role, database, env = {}) {
  const script = fileURLToPath(new URL(role === 'gatehouse' ? '../server.js' : '../floor.js', import.meta.url));
  const child = await startChild(script, { ...serverEnv, BENCH_TARGET: JSON.stringify(database), ...env });
  onCleanup(() => child.stop());
  return { child, target: makeTarget(role, database.engine, child.url, secretKey) };
}

/** @param {number} n */
export function round(n) {
  return Math.round(n * 100) / 100;
}

/** @param {number[]} xs */
export function median(xs) {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return /** @type {number} */ (sorted.length % 2 ? sorted[mid] : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2);
}

/** A free loopback port (taken, then released). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
