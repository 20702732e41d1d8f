import { createHash } from 'node:crypto';
import type pg from 'pg';

/** Distinct statements a pool prepares; past this (queries built with varying shapes), they run unnamed. */
const MAX_PREPARED = 1000;

/** PostgreSQL's answer when a table a prepared statement reads changed its columns (another process migrated). */
function isStalePlan(error: unknown): boolean {
  return (error as { code?: string }).code === '0A000' && /cached plan must not change result type/.test(String(error));
}

/**
 * A pool whose clients run parameterized queries as named (prepared) statements: PostgreSQL parses
 * and plans each statement once per connection instead of on every request, which is much of the
 * cost of the small indexed queries on the hot path. Statements without parameters
 * (BEGIN, COMMIT, migrations' DDL) stay unnamed. The name is a digest of the text, so one text has
 * one name on every connection.
 *
 * If a table changes under a running process (a newer version migrated it), its statements that
 * read `*` fail with "cached plan must not change result type": that query is retried unnamed, and
 * the connection prepares nothing more, so it keeps working until the pool replaces it. (Inside a
 * transaction the failed statement has already aborted it, so that one request fails once.)
 */
export function withPreparedStatements(pool: pg.Pool): pg.Pool {
  const names = new Map<string, string>();
  const nameOf = (text: string): string | undefined => {
    let name = names.get(text);
    if (name === undefined && names.size < MAX_PREPARED) {
      name = `gh_${createHash('sha1').update(text).digest('hex')}`;
      names.set(text, name);
    }
    return name;
  };
  // One wrapper per client: Kysely keeps per-connection state keyed by the client object.
  const wrappers = new WeakMap<pg.PoolClient, pg.PoolClient>();
  const stale = new WeakSet<pg.PoolClient>();
  const wrap = (client: pg.PoolClient): pg.PoolClient => {
    const query = async (text: string, values?: unknown[]) => {
      const name = values && values.length > 0 && !stale.has(client) ? nameOf(text) : undefined;
      if (!name) return client.query(text, values);
      try {
        return await client.query({ name, text, values });
      } catch (error) {
        if (!isStalePlan(error)) throw error;
        stale.add(client);
        return client.query(text, values);
      }
    };
    return new Proxy(client, {
      get(target, property, receiver) {
        // Kysely's driver calls `client.query(text, values)` (a cursor object for streams, unnamed).
        if (property === 'query')
          return (text: unknown, values?: unknown[]) => (typeof text === 'string' ? query(text, values) : target.query(text as never));
        return Reflect.get(target, property, receiver);
      },
    });
  };
  const connect = pool.connect.bind(pool);
  return new Proxy(pool, {
    get(target, property, receiver) {
      if (property !== 'connect') return Reflect.get(target, property, receiver);
      return async () => {
        const client = await connect();
        let wrapper = wrappers.get(client);
        if (!wrapper) {
          wrapper = wrap(client);
          wrappers.set(client, wrapper);
        }
        return wrapper;
      };
    },
  });
}
