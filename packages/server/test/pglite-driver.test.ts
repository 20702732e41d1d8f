import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { type DatabaseHandle, migrateToLatest, openDatabase } from '../src/db/index.js';
import { DataDirLockedError, lockDataDir } from '../src/db/lock.js';

describe('the PGlite driver', () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openDatabase({ engine: 'pglite-memory' });
    await migrateToLatest(handle.db);
    await sql`create table driver_probe (name text primary key)`.execute(handle.db);
  });
  afterAll(() => handle.close());

  it('keeps a plain write from another request out of an open transaction that then fails', async () => {
    let insideTransaction!: () => void;
    const transactionStarted = new Promise<void>((resolve) => {
      insideTransaction = resolve;
    });
    const failing = handle.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('driver_probe' as never)
        .values({ name: 'rolled-back' } as never)
        .execute();
      insideTransaction();
      // Let the other request's query be issued while this transaction is open.
      await new Promise((resolve) => setImmediate(resolve));
      throw new Error('the transaction fails');
    });
    await transactionStarted;
    const plainWrite = handle.db
      .insertInto('driver_probe' as never)
      .values({ name: 'survivor' } as never)
      .execute();
    await expect(failing).rejects.toThrow('the transaction fails');
    await plainWrite;
    const rows = await sql<{ name: string }>`select name from driver_probe order by name`.execute(handle.db);
    expect(rows.rows.map((r) => r.name)).toEqual(['survivor']);
  });

  it('runs concurrent queries one at a time without losing any', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        handle.db
          .insertInto('driver_probe' as never)
          .values({ name: `n${i}` } as never)
          .execute(),
      ),
    );
    const { rows } = await sql<{ count: number }>`select count(*)::int as count from driver_probe where name like 'n%'`.execute(handle.db);
    expect(rows[0]?.count).toBe(20);
  });
});

describe('the data dir lock', () => {
  it('refuses a second holder while the first is alive, and releases on close', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gh-lock-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const release = lockDataDir(dir);
    // Another live process: pretend by writing our parent's pid into the file.
    release();
    writeFileSync(join(dir, 'gatehouse.pid'), String(process.ppid));
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    expect(() => lockDataDir(dir)).toThrow(/pid \d+/);
  });

  it('takes over a lock left by a dead process', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gh-lock-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'gatehouse.pid'), '999999999');
    const release = lockDataDir(dir);
    release();
  });
});
