import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { type ClientOptions, createBackendClient, createClient } from '@gatehouse/sdk';
import pg from 'pg';
import pino, { type Logger } from 'pino';
import { type Config, loadConfig } from '../src/config.js';
import type { DatabaseTarget } from '../src/db/index.js';
import type { Clock } from '../src/deps.js';
import { createGatehouse, type Gatehouse } from '../src/gatehouse.js';
import { type RunningServer, startServer } from '../src/server.js';

/** Real time plus an offset the test moves forward: expiry is tested without sleeping. */
export interface TestClock extends Clock {
  advance(ms: number): void;
}

export function createTestClock(): TestClock {
  let offset = 0;
  return {
    now: () => new Date(Date.now() + offset),
    advance(ms) {
      offset += ms;
    },
  };
}

/** A loopback port no one listens on right now (to start a server on later, or to find nothing there). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A fresh PostgreSQL schema for one test file, dropped afterwards. */
export async function createTestSchema(url: string): Promise<{ schema: string; drop: () => Promise<void> }> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`create schema ${schema}`);
  await client.end();
  return {
    schema,
    async drop() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    },
  };
}

export interface TestGatehouse {
  url: string;
  secretKey: string;
  clock: TestClock;
  gatehouse: Gatehouse;
  server: RunningServer;
  /** A backend client with the admin secret key. */
  backend: ReturnType<typeof createBackendClient>;
  /**
   * A frontend client; pass `sessionToken` for a signed-in one, or `tokenTransport: 'header'` to
   * sign in and keep the token without a cookie jar.
   */
  client(options?: Omit<ClientOptions, 'baseUrl'>): ReturnType<typeof createClient>;
  /** A unique email for this test run. */
  email(prefix?: string): string;
  close(): Promise<void>;
}

export interface TestOptions {
  /** Environment variables on top of the test defaults (e.g. ALLOWED_ORIGINS). */
  env?: Record<string, string>;
  /** Use this PostgreSQL URL even when DATABASE_URL is not set (concurrency suites). */
  postgresUrl?: string;
  /** A logger instead of the silent default (to assert on log lines). */
  logger?: Logger;
  /** Listen on this port instead of any free one (to make PUBLIC_URL the server's own address). */
  port?: number;
}

/**
 * Start Gatehouse in-process on a loopback port: in-memory PGlite, or a fresh schema of the
 * PostgreSQL server in DATABASE_URL. Every answer is checked against the contract.
 */
export async function startTestGatehouse(options: TestOptions = {}): Promise<TestGatehouse> {
  const secretKey = `sk_test_${randomBytes(24).toString('hex')}`;
  const postgres = options.postgresUrl ?? process.env.DATABASE_URL;
  const config: Config = loadConfig({
    PORT: '0',
    PUBLIC_URL: 'http://localhost:8787',
    GATEHOUSE_SECRET_KEY: secretKey,
    GATEHOUSE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    ...options.env,
  });
  const testSchema = postgres ? await createTestSchema(postgres) : undefined;
  const database: DatabaseTarget =
    postgres && testSchema ? { engine: 'postgres', url: postgres, schema: testSchema.schema, poolSize: 20 } : { engine: 'pglite-memory' };
  const clock = createTestClock();
  const gatehouse = await createGatehouse({
    config,
    database,
    clock,
    logger: options.logger ?? pino({ level: config.logLevel }),
    checkOutputs: true,
  });
  const server = await startServer(gatehouse, { port: options.port ?? 0, host: '127.0.0.1' });
  let counter = 0;
  const run = randomBytes(3).toString('hex');
  return {
    url: server.url,
    secretKey,
    clock,
    gatehouse,
    server,
    backend: createBackendClient({ baseUrl: server.url, secretKey }),
    client: (o = {}) => createClient({ baseUrl: server.url, ...o }),
    email: (prefix = 'user') => `${prefix}-${run}-${++counter}@example.com`.toLowerCase(),
    async close() {
      await server.close();
      await testSchema?.drop();
    },
  };
}
