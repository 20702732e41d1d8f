import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, type MigrationProvider, Migrator, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import { lockDataDir } from './lock.js';
import { migrations } from './migrations/index.js';
import { pgliteDialect } from './pglite-driver.js';
import { withPreparedStatements } from './prepared.js';
import type { Database } from './schema.js';
import { defaultTemplateRoot, seedFromTemplate } from './template.js';

export type { Database, Db } from './schema.js';

/** Where the data lives: a PostgreSQL server, a PGlite directory, or PGlite in memory (tests). */
export type DatabaseTarget =
  | { engine: 'postgres'; url: string; schema?: string; poolSize?: number }
  | {
      engine: 'pglite';
      dataDir: string;
      /**
       * Where data dir templates are looked up for a fresh data dir (see db/template.ts); `false`:
       * none, PGlite makes the cluster (initdb) and every migration runs. Default: the build's.
       */
      template?: string | false;
    }
  | { engine: 'pglite-memory' };

export interface DatabaseHandle {
  db: Kysely<Database>;
  engine: 'postgres' | 'pglite';
  /** Close the pool (PostgreSQL) or PGlite, and release the data dir lock. */
  close(): Promise<void>;
}

const INT8_OID = 20;
const CONNECTION_TIMEOUT_MS = 10_000;

/**
 * A connection can fail while no query of ours runs on it: idle in the pool (the pool emits the
 * error) or checked out between two queries of a transaction (the client emits it). An 'error'
 * event nobody listens to kills the process, so both are listened to; the request that uses the
 * connection next gets the error instead (503). A connection that failed while checked out is
 * released with its error, so the pool destroys it rather than handing it to the next request.
 * New connections are made on demand, so service resumes as soon as PostgreSQL is back.
 */
function surviveConnectionErrors(pool: pg.Pool, log: Logger | undefined): pg.Pool {
  const failures = new WeakMap<pg.PoolClient, Error>();
  // Idle or not, the client's own listener below has logged it: one line per lost connection.
  pool.on('error', () => {});
  pool.on('connect', (client) =>
    client.on('error', (error) => {
      failures.set(client, error);
      log?.warn({ err: error }, 'a database connection failed; the pool replaces it');
    }),
  );
  const connect = pool.connect.bind(pool);
  return new Proxy(pool, {
    get(target, property, receiver) {
      if (property !== 'connect') return Reflect.get(target, property, receiver);
      return async () => {
        const client = await connect();
        // The pool gives each checkout its own release(); the failure is looked up when it is called.
        const release = client.release;
        client.release = (error?: Error | boolean) => release(error ?? failures.get(client));
        return client;
      };
    },
  });
}

/** Open the database. With PGlite on disk, the data dir is locked to this process first. */
export async function openDatabase(target: DatabaseTarget, options: { log?: Logger } = {}): Promise<DatabaseHandle> {
  if (target.engine === 'postgres') {
    const pool = new pg.Pool({
      connectionString: target.url,
      max: target.poolSize ?? 10,
      // A request waits this long for a connection (an unreachable host, an exhausted pool), then
      // answers 503, instead of hanging for the operating system's TCP timeout.
      connectionTimeoutMillis: CONNECTION_TIMEOUT_MS,
      ...(target.schema ? { options: `-c search_path=${target.schema}` } : {}),
    });
    // count(*) and other int8 values come back as numbers on both engines.
    pool.on('connect', (client) => client.setTypeParser(INT8_OID, (v: string) => Number(v)));
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: withPreparedStatements(surviveConnectionErrors(pool, options.log)) }),
    });
    return { db, engine: 'postgres', close: () => db.destroy() };
  }
  const unlock = target.engine === 'pglite' ? lockDataDir(target.dataDir) : () => {};
  try {
    const dataDir = target.engine === 'pglite' ? join(target.dataDir, 'pgdata') : undefined;
    // A fresh data dir starts as a copy of the migrated template, not from initdb (under the lock).
    if (target.engine === 'pglite' && dataDir && target.template !== false) {
      const root = target.template ?? defaultTemplateRoot;
      if (await seedFromTemplate(dataDir, root))
        options.log?.info({ template: root }, 'a fresh data dir: copied from the migrated template');
    }
    const pglite = new PGlite(dataDir, { parsers: { [INT8_OID]: (v: string) => Number(v) } });
    await pglite.waitReady;
    const db = new Kysely<Database>({ dialect: pgliteDialect(pglite) });
    return {
      db,
      engine: 'pglite',
      async close() {
        await db.destroy();
        await pglite.close();
        unlock();
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
}

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Whether the migrations recorded in `schema` are exactly this version's list. */
async function appliedExactly(db: Kysely<Database>, schema: string): Promise<boolean> {
  const { rows } = await sql<{ name: string }>`select name from ${sql.id(schema, 'kysely_migration')}`.execute(db);
  const applied = new Set(rows.map((r) => r.name));
  const names = Object.keys(migrations);
  return applied.size === names.length && names.every((name) => applied.has(name));
}

/** Apply every pending migration. Safe to run from several processes at once (Kysely takes an advisory lock). */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  // Kysely looks for its migration tables in every schema unless told which: name ours, so another
  // schema of the same server (another tenant, a parallel test) holding them cannot fool it.
  const { rows } = await sql<{ schema: string; table: string | null }>`
    select current_schema() as schema, to_regclass(format('%I.kysely_migration', current_schema()))::text as table
  `.execute(db);
  const schema = rows[0]?.schema;
  // Nothing to do, the common start: said by one read, instead of the Migrator's statements (its
  // tables made if missing, its lock taken) that cost a start on PGlite about half a second. Only
  // when the applied list is exactly this version's: anything else goes to the Migrator, which
  // applies what is missing and refuses a database that has migrations this version lacks.
  if (schema && rows[0]?.table && (await appliedExactly(db, schema))) return [];
  const migrator = new Migrator({ db, provider, ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`Migration ${failed ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
