// Gatehouse under test, in its own process: the compiled server (packages/server/dist) as
// `npm start` runs it, on a database target given by the parent in BENCH_TARGET (a PGlite
// directory or a PostgreSQL schema). Prints {"url": ...} on stdout once it listens.

import { performance } from 'node:perf_hooks';
import { Hono } from 'hono';
import { CompiledQuery } from 'kysely';
import { authorize } from '../packages/server/dist/features/organizations/access.js';
import { createGatehouse, loadConfig, startServer } from '../packages/server/dist/index.js';

const target = JSON.parse(process.env.BENCH_TARGET ?? '{}');
if (target.engine !== 'pglite' && target.engine !== 'postgres') {
  throw new Error('bench/server.js is started by bench/run.js, which sets BENCH_TARGET');
}
const secretKey = process.env.GATEHOUSE_SECRET_KEY ?? '';

const config = loadConfig({
  ...process.env,
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: process.env.LOG_LEVEL || 'warn',
  GATEHOUSE_DATA_DIR: target.dataDir ?? '',
  DATABASE_URL: target.engine === 'postgres' ? target.url : '',
});
const gatehouse = await createGatehouse({ config, database: target });

// Bench-only: seed large data sets in the server's own database (a PGlite directory is locked to
// this process). Loopback only, behind the same secret key, outside Gatehouse's app (so its 64 KiB
// body limit does not apply); every other request goes straight to Gatehouse.
const benchApp = new Hono();
benchApp.post('/__bench/sql', async (c) => {
  if (c.req.header('authorization') !== `Bearer ${secretKey}`) return c.json({ error: 'unauthenticated' }, 401);
  const { text, params } = await c.req.json();
  try {
    const result = await gatehouse.deps.db.executeQuery(CompiledQuery.raw(text, params ?? []));
    return c.json({ rows: result.rows });
  } catch (error) {
    return c.json({ error: error instanceof Error ? error.message : String(error) }, 500);
  }
});
// Bench-only: the cost of authorize() alone, in this process against its own pool: `iterations`
// calls, `concurrency` at a time, each with a fresh request context (so nothing is memoized).
benchApp.post('/__bench/authorize', async (c) => {
  if (c.req.header('authorization') !== `Bearer ${secretKey}`) return c.json({ error: 'unauthenticated' }, 401);
  const { organizationId, userId, permission, iterations, concurrency } = await c.req.json();
  const principal = {
    type: 'user',
    userId,
    sessionId: 'ses_bench',
    activeOrganizationId: null,
    activeWorkspaceId: null,
    reauthenticatedAt: null,
    transport: 'bearer',
  };
  /** A stand-in for Hono's Context with what authorize() reads. */
  const context = () => {
    /** @type {Record<string, unknown>} */
    const vars = { principal, ip: '127.0.0.1' };
    return /** @type {any} */ ({ get: (/** @type {string} */ key) => vars[key], req: { path: '/__bench/authorize' } });
  };
  /** @type {number[]} */
  const latencies = [];
  let started = 0;
  const begin = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (started < iterations) {
        started++;
        const t = performance.now();
        await authorize(context(), gatehouse.deps, organizationId, permission);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - begin) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (/** @type {number} */ p) => latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)] ?? Number.NaN;
  return c.json({ perSec: Math.round(latencies.length / seconds), p50Us: Math.round(at(0.5) * 1000), p99Us: Math.round(at(0.99) * 1000) });
});

/** @type {typeof gatehouse.app.fetch} */
const dispatch = (request, env, ctx) =>
  request.url.includes('/__bench/') ? benchApp.fetch(request, env, ctx) : gatehouse.app.fetch(request, env, ctx);

const server = await startServer(
  { ...gatehouse, app: /** @type {typeof gatehouse.app} */ ({ fetch: dispatch }) },
  { port: 0, host: '127.0.0.1' },
);
process.stdout.write(`${JSON.stringify({ url: server.url, pid: process.pid })}\n`);

/** @param {string} signal */
async function stop(signal) {
  try {
    await server.close();
  } finally {
    process.exit(signal === 'SIGTERM' ? 0 : 1);
  }
}
process.once('SIGTERM', () => stop('SIGTERM'));
process.once('SIGINT', () => stop('SIGINT'));
