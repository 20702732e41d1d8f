import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withPreparedStatements } from '../src/db/prepared.js';
import { createTestSchema } from './harness.js';
import { postgresUrl } from './services.js';

/** Named prepared statements on a real PostgreSQL server (PGlite has no wire protocol to name them on). */
const url = await postgresUrl();

describe.skipIf(!url)('prepared statements (PostgreSQL)', () => {
  let schema: Awaited<ReturnType<typeof createTestSchema>>;
  let raw: pg.Pool;
  let pool: pg.Pool;
  beforeAll(async () => {
    schema = await createTestSchema(url!);
    // One connection, so every query below runs on the same one.
    raw = new pg.Pool({ connectionString: url!, max: 1, options: `-c search_path=${schema.schema}` });
    pool = withPreparedStatements(raw);
    await raw.query('create table things (id int primary key, name text)');
    await raw.query("insert into things values (1, 'one')");
  });
  afterAll(async () => {
    await raw?.end();
    await schema?.drop();
  });

  async function prepared(): Promise<string[]> {
    const { rows } = await raw.query<{ name: string }>('select name from pg_prepared_statements');
    return rows.map((r) => r.name);
  }

  it('prepares a parameterized statement once per connection and reuses it; leaves the rest unnamed', async () => {
    const client = await pool.connect();
    try {
      expect((await client.query('select * from things where id = $1', [1])).rows).toEqual([{ id: 1, name: 'one' }]);
      expect((await client.query('select * from things where id = $1', [2])).rows).toEqual([]);
      await client.query('select 1');
    } finally {
      client.release();
    }
    const names = await prepared();
    expect(names.filter((n) => n.startsWith('gh_'))).toHaveLength(1);
  });

  it('hands Kysely the same client object at every checkout', async () => {
    const first = await pool.connect();
    first.release();
    const second = await pool.connect();
    second.release();
    expect(second).toBe(first);
  });

  it('keeps working when another process changes a table under a prepared `select *`', async () => {
    const client = await pool.connect();
    try {
      expect((await client.query('select * from things where id = $1', [1])).rows).toEqual([{ id: 1, name: 'one' }]);
      // What a newer Gatehouse's migration does from another process.
      await new pg.Client({ connectionString: url!, options: `-c search_path=${schema.schema}` }).connect().then(async (other) => {
        await other.query('alter table things add column size int');
        await other.end();
      });
      expect((await client.query('select * from things where id = $1', [1])).rows).toEqual([{ id: 1, name: 'one', size: null }]);
      expect((await client.query('select * from things where id = $1', [1])).rows).toEqual([{ id: 1, name: 'one', size: null }]);
    } finally {
      client.release();
    }
  });
});
