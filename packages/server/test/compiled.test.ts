import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiledQuery } from '../src/db/compiled.js';
import type { Db } from '../src/db/schema.js';
import { startTestGatehouse, type TestGatehouse } from './harness.js';

let t: TestGatehouse;
beforeAll(async () => {
  t = await startTestGatehouse();
});
afterAll(() => t.close());

describe('compiledQuery', () => {
  it('builds once and fills in each call’s values, constants included', async () => {
    let builds = 0;
    const byEmail = compiledQuery((db: Db, email: string) => {
      builds++;
      return db.selectFrom('user_emails').select(['user_id', 'email']).where('email', '=', email).where('is_primary', '=', true);
    });
    const a = await t.backend.users.create({ email: t.email('compiled') });
    const b = await t.backend.users.create({ email: t.email('compiled') });
    expect(await byEmail(t.gatehouse.deps.db, a.email!)).toEqual([{ user_id: a.id, email: a.email }]);
    expect(await byEmail(t.gatehouse.deps.db, b.email!)).toEqual([{ user_id: b.id, email: b.email }]);
    expect(await byEmail(t.gatehouse.deps.db, 'nobody@example.com')).toEqual([]);
    expect(builds).toBe(1);
  });

  it('refuses, on first use, an argument that does not reach the SQL as a parameter', async () => {
    const bad = compiledQuery((db: Db, column: string) =>
      db
        .selectFrom('users')
        .select('id')
        .where('id', '=', column.length > 100 ? 'x' : 'y'),
    );
    await expect(bad(t.gatehouse.deps.db, 'id')).rejects.toThrow(/argument 0 does not reach the SQL/);
  });
});
