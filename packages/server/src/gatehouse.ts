import { randomBytes } from 'node:crypto';
import type { Hono } from 'hono';
import { type Kysely, Migrator, sql } from 'kysely';
import pino, { type Logger } from 'pino';
import { createApp } from './app.js';
import { createAfterResponse } from './background.js';
import { type Config, ConfigError, resolveEncryptionKey } from './config.js';
import { explainConnectionError } from './db/connection-errors.js';
import { secureDataDir } from './db/data-dir.js';
import { type DatabaseHandle, type DatabaseTarget, migrateToLatest, openDatabase } from './db/index.js';
import { migrations } from './db/migrations/index.js';
import type { Database } from './db/schema.js';
import { type Clock, type Deps, systemClock } from './deps.js';
import { createPrincipalResolver } from './features/auth/resolve.js';
import { startOutboxWorker } from './features/email/worker.js';
import { startSweeper } from './features/maintenance/sweep.js';
import type { AppEnv } from './http/context.js';
import { assertEncryptionKeyMatches } from './security/key-fingerprint.js';
import { createRateLimiter } from './security/rate-limit.js';

export interface GatehouseOptions {
  config: Config;
  /** Where the data lives; by default DATABASE_URL, else PGlite in the config's data dir. */
  database?: DatabaseTarget;
  clock?: Clock;
  logger?: Logger;
  /** Check every answer against the contract (tests). */
  checkOutputs?: boolean;
  /** Drain the outbox and sweep expired rows in the background (default true; CLI commands turn it off). */
  backgroundWork?: boolean;
  /**
   * `apply` (default): apply pending migrations first. `check`: apply none, and refuse to start
   * unless every migration has been applied: for a process that must not change the schema of a
   * database shared with running servers (the CLI on PostgreSQL).
   */
  migrations?: 'apply' | 'check';
  /**
   * Aborted (SIGINT, SIGTERM) while starting: the database is closed, and its lock released, as
   * soon as the step in progress ends, and the abort reason is thrown.
   */
  signal?: AbortSignal;
}

/** A running Gatehouse, minus the HTTP listener: the app, its dependencies and how to stop them. */
export interface Gatehouse {
  app: Hono<AppEnv>;
  deps: Deps;
  close(): Promise<void>;
}

export function databaseTargetOf(config: Config): DatabaseTarget {
  return config.databaseUrl ? { engine: 'postgres', url: config.databaseUrl } : { engine: 'pglite', dataDir: config.dataDir };
}

/**
 * Throw unless every migration of this version has been applied. Read-only: on a database shared
 * with running servers, migrating is the operator's step (`gatehouse migrate`), taken when the
 * servers are ready for the new schema, never a side effect of another command.
 */
async function assertMigrated(db: Kysely<Database>): Promise<void> {
  // As in migrateToLatest: name our schema, so another schema's migration tables cannot answer.
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const provider = { getMigrations: async () => migrations };
  const migrator = new Migrator({ db, provider, ...(rows[0]?.schema ? { migrationTableSchema: rows[0].schema } : {}) });
  const pending = (await migrator.getMigrations()).filter((m) => m.executedAt === undefined).map((m) => m.name);
  if (pending.length > 0) {
    throw new ConfigError(
      `The database is not migrated to this version of Gatehouse (pending: ${pending.join(', ')}). ` +
        'Run `gatehouse migrate` first; other commands never change the schema of a shared database.',
    );
  }
}

/**
 * Open the database, apply migrations (or check them: {@link GatehouseOptions.migrations}), build
 * the app. The first admin key is not made here: the CLI makes it once the port is listening, so a
 * start that fails never stores a key it cannot print.
 */
export async function createGatehouse(options: GatehouseOptions): Promise<Gatehouse> {
  const { config, signal } = options;
  const target = options.database ?? databaseTargetOf(config);
  const log = options.logger ?? pino({ level: config.logLevel, base: { service: 'gatehouse' } });
  signal?.throwIfAborted();
  if (target.engine === 'pglite') {
    const tightened = secureDataDir(target.dataDir);
    if (tightened > 0) {
      log.warn(
        { dataDir: target.dataDir, tightened },
        `other local users could read or write ${tightened} entries of the data dir: made them owner-only (folders 0700, files 0600)`,
      );
    }
  }
  const handle: DatabaseHandle = await openDatabase(target, { log });
  try {
    signal?.throwIfAborted();
    try {
      if (options.migrations === 'check') await assertMigrated(handle.db);
      else await migrateToLatest(handle.db);
    } catch (error) {
      throw target.engine === 'postgres' ? explainConnectionError(error, target.url) : error;
    }
    // What PGlite made on a first start, under the process's umask, is owner-only too.
    if (target.engine === 'pglite') secureDataDir(target.dataDir);
    signal?.throwIfAborted();
    const clock = options.clock ?? systemClock;
    const encryptionKey = target.engine === 'pglite-memory' ? (config.encryptionKey ?? randomBytes(32)) : resolveEncryptionKey(config);
    const keySource = config.encryptionKey ? 'GATEHOUSE_ENCRYPTION_KEY' : `The key in ${config.dataDir}/encryption.key`;
    await assertEncryptionKeyMatches(handle.db, encryptionKey, keySource);
    const rateLimiter = await createRateLimiter(config, handle.engine, handle.db, log);
    const base = {
      config,
      db: handle.db,
      engine: handle.engine,
      clock,
      log,
      encryptionKey,
      rateLimiter,
      checkOutputs: options.checkOutputs ?? false,
      afterResponse: createAfterResponse(log),
    };
    const deps: Deps = { ...base, resolvePrincipal: createPrincipalResolver(base) };
    const background = options.backgroundWork === false ? [] : [startOutboxWorker(deps), startSweeper(deps)];
    return {
      app: createApp(deps),
      deps,
      async close() {
        await Promise.all(background.map((worker) => worker.stop()));
        await deps.afterResponse.drain();
        await rateLimiter.close();
        await handle.close();
      },
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
