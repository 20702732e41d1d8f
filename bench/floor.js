// The floor: a bare Hono app on @hono/node-server, on the same kind of database as
// Gatehouse (same migrations), whose routes run only the minimal SQL of each operation through the
// raw driver with prepared statements. Every Gatehouse figure is read as a ratio to it.
// Each scenario registers its own floor route (scenario.floor), on the same path as Gatehouse's.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import pg from 'pg';
import { migrateToLatest, openDatabase } from '../packages/server/dist/index.js';
import { loadScenarios } from './lib/scenarios.js';

const target = JSON.parse(process.env.BENCH_TARGET ?? '{}');
const secretKey = process.env.GATEHOUSE_SECRET_KEY ?? '';
const INT8_OID = 20;

// The same tables and indexes as Gatehouse: its own migrations, applied once, then closed.
const migration = await openDatabase(target);
await migrateToLatest(migration.db);
await migration.close();

/** @type {import('./lib/types.js').FloorDb} */
let db;
/** @type {() => Promise<void>} */
let closeDb;
if (target.engine === 'postgres') {
  // Gatehouse's pool size (10) and the same search_path trick for the schema.
  const pool = new pg.Pool({ connectionString: target.url, max: 10, options: `-c search_path=${target.schema}` });
  pool.on('connect', (client) => client.setTypeParser(INT8_OID, (v) => Number(v)));
  db = {
    engine: 'postgres',
    // Named statements are prepared once per connection; the name carries a digest of the text, so
    // two routes can never clash on one name with different SQL.
    query: async (name, text, params = []) =>
      (await pool.query({ ...(name ? { name: `${name}_${digest(text)}` } : {}), text, values: params })).rows,
  };
  closeDb = () => pool.end();
} else {
  const pglite = new PGlite(join(target.dataDir, 'pgdata'), { parsers: { [INT8_OID]: (v) => Number(v) } });
  await pglite.waitReady;
  db = {
    engine: 'pglite',
    // PGlite is one session; it queues concurrent queries itself.
    query: async (_name, text, params = []) => /** @type {Record<string, any>[]} */ ((await pglite.query(text, params)).rows),
  };
  closeDb = () => pglite.close();
}

/** @param {string} text */
function digest(text) {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

const app = new Hono();
// The same cheap check Gatehouse does first on /backend/v1 (a constant-time compare is not needed here).
app.use('/backend/v1/*', async (c, next) => {
  if (c.req.header('authorization') !== `Bearer ${secretKey}`) return c.json({ error: 'unauthenticated' }, 401);
  return next();
});
app.post('/__bench/sql', async (c) => {
  if (c.req.header('authorization') !== `Bearer ${secretKey}`) return c.json({ error: 'unauthenticated' }, 401);
  const { text, params } = await c.req.json();
  try {
    return c.json({ rows: await db.query('', text, params ?? []) });
  } catch (error) {
    return c.json({ error: error instanceof Error ? error.message : String(error) }, 500);
  }
});
for (const scenario of await loadScenarios((process.env.BENCH_SCENARIOS ?? '').split(',').filter(Boolean))) {
  scenario.floor?.(app, db);
}

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${info.port}`, pid: process.pid })}\n`);
});

async function stop() {
  await new Promise((resolve) => {
    server.close(() => resolve(undefined));
    if ('closeIdleConnections' in server) server.closeIdleConnections();
  });
  await closeDb();
  process.exit(0);
}
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
