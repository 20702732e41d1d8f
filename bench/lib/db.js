// Databases for the servers under test: a fresh PostgreSQL schema or a fresh PGlite directory
// each, so Gatehouse and the floor never see each other's rows and a run starts from nothing.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

/**
 * A database target as packages/server's `openDatabase` takes it, plus how to remove it.
 * @typedef {{ engine: 'postgres', url: string, schema: string } | { engine: 'pglite', dataDir: string }} BenchTarget
 */

/**
 * @param {string} url
 * @returns {Promise<boolean>}
 */
export async function postgresReachable(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * @param {string} url
 * @param {(client: pg.Client) => Promise<T>} fn
 * @template T
 */
async function withClient(url, fn) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Drop `bench_<pid>_…` schemas whose process is gone (a run killed before its cleanup).
 * @param {string} url
 */
export async function dropStaleSchemas(url) {
  await withClient(url, async (client) => {
    const { rows } = await client.query(`select nspname from pg_namespace where nspname like 'bench\\_%'`);
    for (const { nspname } of rows) {
      const pid = Number(/^bench_(\d+)_/.exec(nspname)?.[1]);
      if (pid && pid !== process.pid && isAlive(pid)) continue;
      if (pid === process.pid) continue;
      await client.query(`drop schema if exists "${nspname}" cascade`);
    }
  });
}

/** @param {number} pid */
function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A fresh, empty database for one server.
 * @param {'pglite' | 'postgres'} engine
 * @param {string} role `gatehouse` or `floor`
 * @param {string} postgresUrl
 * @returns {Promise<BenchTarget>}
 */
export async function createTarget(engine, role, postgresUrl) {
  if (engine === 'pglite') return { engine, dataDir: mkdtempSync(join(tmpdir(), `gatehouse-bench-${role}-`)) };
  const schema = `bench_${process.pid}_${role}_${randomBytes(3).toString('hex')}`;
  await withClient(postgresUrl, (client) => client.query(`create schema "${schema}"`));
  return { engine, url: postgresUrl, schema };
}

/**
 * Remove what {@link createTarget} made.
 * @param {BenchTarget} target
 */
export async function removeTarget(target) {
  if (target.engine === 'pglite') {
    rmSync(target.dataDir, { recursive: true, force: true });
    return;
  }
  await withClient(target.url, (client) => client.query(`drop schema if exists "${target.schema}" cascade`));
}

/**
 * PostgreSQL's version string, for the results' machine info.
 * @param {string} url
 */
export async function postgresVersion(url) {
  try {
    return await withClient(url, async (client) => String((await client.query('show server_version')).rows[0].server_version));
  } catch {
    return undefined;
  }
}
