import { createHash } from 'node:crypto';
import type pg from 'pg';

/** Distinct statements a pool prepares; past this (queries built with varying shapes), they run unnamed. */
const MAX_PREPARED = 1000;

/**
 * A pool whose clients run parameterized queries as named (prepared) statements: PostgreSQL parses
 * and plans each statement once per connection instead of on every request, which is most of the
 * cost of the small indexed queries on the hot path (DESIGN §10). Statements without parameters
 * (BEGIN, COMMIT, migrations' DDL) stay unnamed. The name is a digest of the text, so one text has
 * one name on every connection.
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
  const connect = pool.connect.bind(pool);
  // Kysely's driver calls `client.query(text, values)`; give it a client that names the statement.
  const prepared = (client: pg.PoolClient): pg.PoolClient =>
    new Proxy(client, {
      get(target, property, receiver) {
        if (property !== 'query') return Reflect.get(target, property, receiver);
        return (text: unknown, values?: unknown[]) => {
          const name = typeof text === 'string' && values && values.length > 0 ? nameOf(text) : undefined;
          return name ? target.query({ name, text: text as string, values }) : target.query(text as string, values);
        };
      },
    });
  return new Proxy(pool, {
    get(target, property, receiver) {
      if (property === 'connect') return async () => prepared(await connect());
      return Reflect.get(target, property, receiver);
    },
  });
}
