import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { PGlite } from '@electric-sql/pglite';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { buildTemplate } from '../src/db/build-template.js';
import { seedFromTemplate, templateKey } from '../src/db/template.js';
import { createInitialKey } from '../src/features/keys/queries.js';
import { createGatehouse } from '../src/gatehouse.js';

/** initdb and every migration in WASM take seconds on a busy machine. */
const SLOW = 180_000;

/** The rows the migrations themselves insert: the built-in permission catalog and roles, and their own record. */
const SEEDED = [
  'kysely_migration',
  'kysely_migration_lock',
  'permissions',
  'role_permissions',
  'roles',
  'workspace_role_permissions',
  'workspace_roles',
];

let work: string;
let root: string;
let template: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'gh-template-'));
  root = join(work, 'templates');
  const first = await buildTemplate(root);
  expect(first.built).toBe(true);
  template = first.dir;
}, SLOW);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Every entry under `dir` (itself included) whose mode lets the group or others in. */
function looseEntries(dir: string): string[] {
  const loose: string[] = [];
  const visit = (path: string) => {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return;
    if ((stat.mode & 0o077) !== 0) loose.push(`${path} ${(stat.mode & 0o777).toString(8)}`);
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(dir);
  return loose;
}

/** The tables of a cluster that hold rows, opened on a copy so the cluster itself is not touched. */
async function tablesWithRows(pgdata: string): Promise<string[]> {
  const copy = join(work, `inspect-${Math.random().toString(16).slice(2)}`);
  cpSync(pgdata, copy, { recursive: true });
  const pglite = new PGlite(copy);
  try {
    const { rows } = await pglite.query<{ name: string }>(
      "select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1",
    );
    const filled: string[] = [];
    for (const { name } of rows) {
      const count = await pglite.query<{ n: number }>(`select count(*)::int as n from "${name}"`);
      if ((count.rows[0]?.n ?? 0) > 0) filled.push(name);
    }
    return filled;
  } finally {
    await pglite.close();
    rmSync(copy, { recursive: true, force: true });
  }
}

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

/** Start on `dataDir` as `gatehouse start` would (template from `templates`), make the first key, read the JWKS, stop. */
async function firstStart(dataDir: string, templates: string | false) {
  const { logger, lines } = capturingLogger();
  const config = loadConfig({ PUBLIC_URL: 'http://localhost:8787', LOG_LEVEL: 'info', GATEHOUSE_DATA_DIR: dataDir });
  const gatehouse = await createGatehouse({
    config,
    logger,
    backgroundWork: false,
    database: { engine: 'pglite', dataDir, template: templates },
  });
  try {
    const adminKey = await createInitialKey(gatehouse.deps.db, gatehouse.deps.clock.now());
    const jwks = (await (await gatehouse.app.request('/.well-known/jwks.json')).json()) as { keys: { kid: string; x?: string }[] };
    const keyCount = await gatehouse.deps.db
      .selectFrom('secret_keys')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return { adminKey, jwks: jwks.keys, secretKeys: Number(keyCount.n), lines };
  } finally {
    await gatehouse.close();
  }
}

describe('the PGlite data dir template', () => {
  it('is made once for this version, whole and owner-only, and named by its key', { timeout: SLOW }, async () => {
    expect(template).toBe(join(root, await templateKey()));
    expect(readFileSync(join(template, 'PG_VERSION'), 'utf8').trim()).toMatch(/^\d+$/);
    expect(await buildTemplate(root)).toEqual({ dir: template, built: false });
    // Nothing left of the build beside it.
    expect(readdirSync(root)).toEqual([await templateKey()]);
    expect(looseEntries(root)).toEqual([]);
  });

  it('holds no instance data: only the rows the migrations insert', { timeout: SLOW }, async () => {
    expect(await tablesWithRows(template)).toEqual(SEEDED);
  });

  it('gives each fresh data dir its own secrets: encryption key, admin key, signing key', { timeout: SLOW }, async () => {
    const a = join(work, 'a');
    const b = join(work, 'b');
    const first = await firstStart(a, root);
    const second = await firstStart(b, root);
    for (const run of [first, second]) {
      expect(run.lines.find((l) => l.msg === 'a fresh data dir: copied from the migrated template')).toBeDefined();
      expect(run.adminKey).toMatch(/^sk_live_/);
      expect(run.jwks.length).toBeGreaterThan(0);
    }
    expect(readFileSync(join(a, 'encryption.key'), 'utf8')).not.toBe(readFileSync(join(b, 'encryption.key'), 'utf8'));
    expect(first.adminKey).not.toBe(second.adminKey);
    expect(first.jwks.map((k) => k.kid)).not.toEqual(second.jwks.map((k) => k.kid));
    expect(looseEntries(a)).toEqual([]);
    // A copy, not the template itself: what the instances wrote is not in it.
    expect(await tablesWithRows(template)).toEqual(SEEDED);
  });

  it('is never laid over an existing data dir', { timeout: SLOW }, async () => {
    const dataDir = join(work, 'existing');
    const made = await firstStart(dataDir, false);
    expect(made.lines.find((l) => l.msg === 'a fresh data dir: copied from the migrated template')).toBeUndefined();
    expect(made.secretKeys).toBe(1);
    expect(await seedFromTemplate(join(dataDir, 'pgdata'), root)).toBe(false);
    const again = await firstStart(dataDir, root);
    expect(again.lines.find((l) => l.msg === 'a fresh data dir: copied from the migrated template')).toBeUndefined();
    // The key made on the first start is still there, and no second first key was made.
    expect(again.adminKey).toBeUndefined();
    expect(again.secretKeys).toBe(1);
  });

  it('clears what a copy cut short left behind, and copies whole', { timeout: SLOW }, async () => {
    const dataDir = join(work, 'interrupted');
    mkdirSync(join(dataDir, 'pgdata.partial-0badc0de', 'base'), { recursive: true });
    expect(await seedFromTemplate(join(dataDir, 'pgdata'), root)).toBe(true);
    expect(readdirSync(dataDir)).toEqual(['pgdata']);
    expect(readdirSync(join(dataDir, 'pgdata')).sort()).toEqual(readdirSync(template).sort());
  });

  it('is not used when made for another version (another key)', { timeout: SLOW }, async () => {
    const other = join(work, 'other-templates');
    mkdirSync(other);
    cpSync(template, join(other, 'ffffffffffffffff'), { recursive: true });
    const pgdata = join(work, 'other-data', 'pgdata');
    expect(await seedFromTemplate(pgdata, other)).toBe(false);
    expect(existsSync(pgdata)).toBe(false);
  });
});
