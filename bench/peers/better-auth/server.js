// Bench-only peer: Better Auth with its organization plugin, on the same HTTP adapter as Gatehouse
// (Hono on @hono/node-server) and the same PostgreSQL server (a database of its own, PEER_DATABASE_URL),
// with passwords hashed by argon2id at Gatehouse's cost (@node-rs/argon2, m = 19 MiB, t = 2, p = 1).
// Started by bench/suites/peers.js; prints {"url": ...} once it listens. Its dependencies live in
// this folder's own node_modules (installed by the bench on first use), never in Gatehouse's.
import { serve } from '@hono/node-server';
import { hash, verify } from '@node-rs/argon2';
import { betterAuth } from 'better-auth';
import { getMigrations } from 'better-auth/db/migration';
import { organization } from 'better-auth/plugins';
import { Hono } from 'hono';
import pg from 'pg';

const databaseUrl = process.env.PEER_DATABASE_URL;
const secretKey = process.env.GATEHOUSE_SECRET_KEY ?? '';
if (!databaseUrl) throw new Error('bench/peers/better-auth/server.js is started by the bench, which sets PEER_DATABASE_URL');

/** The same argon2id setting as Gatehouse (packages/server/src/security/passwords.ts). */
const ARGON2 = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 };
export const ORIGIN = 'http://localhost:3000';

// Gatehouse's pool size (10), so neither side has more connections to PostgreSQL.
const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
const auth = betterAuth({
  database: pool,
  baseURL: ORIGIN,
  trustedOrigins: [ORIGIN],
  secret: process.env.PEER_SECRET,
  telemetry: { enabled: false },
  // Gatehouse limits only failed sign-ins and the like; none of the measured operations. Fair: off here.
  rateLimit: { enabled: false },
  emailAndPassword: {
    enabled: true,
    password: { hash: (password) => hash(password, ARGON2), verify: ({ hash: stored, password }) => verify(stored, password) },
  },
  plugins: [
    // The defaults (100 members, 100 pending invitations) would refuse the bench's organization and load.
    organization({ membershipLimit: 10_000_000, invitationLimit: 1_000_000_000 }),
  ],
});

const { runMigrations } = await getMigrations(auth.options);
await runMigrations();

const app = new Hono();
// Bench-only: seed in bulk (as bench/server.js does for Gatehouse), behind the same secret key.
app.post('/__bench/sql', async (c) => {
  if (c.req.header('authorization') !== `Bearer ${secretKey}`) return c.json({ error: 'unauthenticated' }, 401);
  const { text, params } = await c.req.json();
  try {
    return c.json({ rows: (await pool.query(text, params ?? [])).rows });
  } catch (error) {
    return c.json({ error: error instanceof Error ? error.message : String(error) }, 500);
  }
});
app.on(['GET', 'POST'], '/api/auth/*', (c) => auth.handler(c.req.raw));

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${info.port}`, pid: process.pid })}\n`);
});

async function stop() {
  await new Promise((resolve) => {
    server.close(() => resolve(undefined));
    if ('closeIdleConnections' in server) server.closeIdleConnections();
  });
  await pool.end();
  process.exit(0);
}
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
