import type { PGlite } from '@electric-sql/pglite';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
} from 'kysely';

/**
 * A FIFO mutex. PGlite is a single database session: whoever holds the lock owns it.
 */
export function createMutex() {
  let tail: Promise<void> = Promise.resolve();
  return {
    /** Wait for the lock; resolves to the function that releases it. */
    async lock(): Promise<() => void> {
      let release!: () => void;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      const previous = tail;
      tail = previous.then(() => held);
      await previous;
      return release;
    },
  };
}

/**
 * Kysely dialect for PGlite. The public drivers let a plain query from one request run inside
 * another request's open transaction (and be rolled back with it after answering 200). Here a
 * connection is a lease on the whole database: it is acquired before `BEGIN` and released after
 * `COMMIT`/`ROLLBACK`, so a transaction owns PGlite from start to end and other queries wait.
 */
export function pgliteDialect(pglite: PGlite): Dialect {
  return {
    createAdapter: () => new PostgresAdapter(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
    createDriver: () => pgliteDriver(pglite),
  };
}

type LeasedConnection = DatabaseConnection & { release: () => void };

function pgliteDriver(pglite: PGlite): Driver {
  const mutex = createMutex();
  const connection = (release: () => void): LeasedConnection => ({
    release,
    async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
      // Without parameters, the simple protocol runs multi-statement SQL (migrations), as `pg` does.
      const result =
        query.parameters.length === 0
          ? ((await pglite.exec(query.sql)).at(-1) ?? { rows: [], affectedRows: 0 })
          : await pglite.query<R>(query.sql, query.parameters as unknown[], { rowMode: 'object' });
      return {
        rows: result.rows as R[],
        ...(result.affectedRows !== undefined ? { numAffectedRows: BigInt(result.affectedRows) } : {}),
      };
    },
    // biome-ignore lint/correctness/useYield: PGlite has no cursors to stream from.
    async *streamQuery(): AsyncIterableIterator<QueryResult<never>> {
      throw new Error('PGlite does not support streaming queries');
    },
  });
  return {
    async init() {
      await pglite.waitReady;
    },
    async acquireConnection() {
      return connection(await mutex.lock());
    },
    async releaseConnection(conn) {
      (conn as LeasedConnection).release();
    },
    async beginTransaction(conn, settings) {
      const isolation = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : '';
      await conn.executeQuery(CompiledQuery.raw(`begin${isolation}`));
    },
    async commitTransaction(conn) {
      await conn.executeQuery(CompiledQuery.raw('commit'));
    },
    async rollbackTransaction(conn) {
      await conn.executeQuery(CompiledQuery.raw('rollback'));
    },
    async destroy() {
      // The owner of the PGlite instance closes it (see openDatabase), after the pool is drained.
    },
  };
}
