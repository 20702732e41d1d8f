// Gatehouse under test, in its own process: the compiled server (packages/server/dist) as
// `npm start` runs it, on a database target given by the parent in BENCH_TARGET (a PGlite
// directory or a PostgreSQL schema). Prints {"url": ...} on stdout once it listens.
import { Hono } from 'hono';
import { CompiledQuery } from 'kysely';
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
/** @type {typeof gatehouse.app.fetch} */
const dispatch = (request, env, ctx) =>
  request.url.endsWith('/__bench/sql') ? benchApp.fetch(request, env, ctx) : gatehouse.app.fetch(request, env, ctx);

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
