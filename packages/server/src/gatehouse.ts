import { randomBytes } from 'node:crypto';
import type { Hono } from 'hono';
import pino, { type Logger } from 'pino';
import { createApp } from './app.js';
import { type Config, resolveEncryptionKey } from './config.js';
import { type DatabaseHandle, type DatabaseTarget, migrateToLatest, openDatabase } from './db/index.js';
import { type Clock, type Deps, systemClock } from './deps.js';
import { createPrincipalResolver } from './features/auth/resolve.js';
import { startOutboxWorker } from './features/email/worker.js';
import { createInitialKey } from './features/keys/queries.js';
import type { AppEnv } from './http/context.js';
import { createRateLimiter } from './security/rate-limit.js';

export interface GatehouseOptions {
  config: Config;
  /** Where the data lives; by default DATABASE_URL, else PGlite in the config's data dir. */
  database?: DatabaseTarget;
  clock?: Clock;
  logger?: Logger;
  /** Check every answer against the contract (tests). */
  checkOutputs?: boolean;
}

/** A running Gatehouse, minus the HTTP listener: the app, its dependencies and how to stop them. */
export interface Gatehouse {
  app: Hono<AppEnv>;
  deps: Deps;
  /** The secret key made at first start, to print once (undefined afterwards). */
  initialSecretKey: string | undefined;
  close(): Promise<void>;
}

export function databaseTargetOf(config: Config): DatabaseTarget {
  return config.databaseUrl ? { engine: 'postgres', url: config.databaseUrl } : { engine: 'pglite', dataDir: config.dataDir };
}

/** Open the database, apply migrations, make the first secret key if needed, build the app. */
export async function createGatehouse(options: GatehouseOptions): Promise<Gatehouse> {
  const { config } = options;
  const target = options.database ?? databaseTargetOf(config);
  const log = options.logger ?? pino({ level: config.logLevel, base: { service: 'gatehouse' } });
  const handle: DatabaseHandle = await openDatabase(target);
  try {
    await migrateToLatest(handle.db);
    const clock = options.clock ?? systemClock;
    const encryptionKey = target.engine === 'pglite-memory' ? (config.encryptionKey ?? randomBytes(32)) : resolveEncryptionKey(config);
    const initialSecretKey = config.secretKey ? undefined : await createInitialKey(handle.db, clock.now());
    const rateLimiter = await createRateLimiter(config, handle.engine, handle.db);
    const base = {
      config,
      db: handle.db,
      engine: handle.engine,
      clock,
      log,
      encryptionKey,
      rateLimiter,
      checkOutputs: options.checkOutputs ?? false,
    };
    const deps: Deps = { ...base, resolvePrincipal: createPrincipalResolver(base) };
    const outbox = startOutboxWorker(deps);
    return {
      app: createApp(deps),
      deps,
      initialSecretKey,
      async close() {
        await outbox.stop();
        await rateLimiter.close();
        await handle.close();
      },
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
