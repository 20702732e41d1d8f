import { createHash, randomBytes } from 'node:crypto';
import { constants, cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import { migrations } from './migrations/index.js';

/**
 * A PGlite data dir template: a cluster that PGlite has made (initdb) and every migration of this
 * version has been applied to, then closed cleanly. A fresh data dir is a copy of it, which saves
 * the ~10 s of initdb and migrations on a first start; later migrations still run on top.
 *
 * It holds no instance's data: it is made by `npm run build` in a process of its own, before any
 * server touches it, so what a first start makes (the encryption key file and its fingerprint row,
 * the first admin key, signing keys) is made after the copy, fresh for each data dir.
 */

/** Where `npm run build` puts templates: packages/server/.pglite-template, beside src and dist. */
export const defaultTemplateRoot = fileURLToPath(new URL('../../.pglite-template/', import.meta.url));

/** PGlite's own version: its on-disk format (its PostgreSQL major version) can change with it. */
function pgliteVersion(): string {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const manifest = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string };
  return manifest.version;
}

/**
 * The template's name: a hash of PGlite's version and of every migration, its name and the SQL it
 * runs (recorded by running it against Kysely's dummy driver, which answers every statement with
 * nothing), so a template made for another migration list, an edited migration or another PGlite
 * is never used: a new key, a new template.
 */
export async function templateKey(): Promise<string> {
  const hash = createHash('sha256').update(`pglite ${pgliteVersion()}\n`);
  const recorder = new Kysely<unknown>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
    log: (event) => {
      hash.update(`${event.query.sql}\n${JSON.stringify(event.query.parameters)}\n`);
    },
  });
  try {
    for (const [name, migration] of Object.entries(migrations)) {
      hash.update(`migration ${name}\n`);
      await migration.up(recorder);
    }
  } finally {
    await recorder.destroy();
  }
  return hash.digest('hex').slice(0, 16);
}

/** The template of this version under `root`, whether it has been made or not. */
export async function templateDir(root: string = defaultTemplateRoot): Promise<string> {
  return join(root, await templateKey());
}

/**
 * Make `pgdata` a copy of the template, if there is one for this version and `pgdata` does not
 * exist yet: never over an existing cluster. Copied beside it and renamed into place, so a copy
 * cut short (a crash) is never taken for a cluster. The caller holds the data dir's lock.
 * Returns whether the template was used.
 */
export async function seedFromTemplate(pgdata: string, root: string = defaultTemplateRoot): Promise<boolean> {
  if (existsSync(pgdata)) return false;
  const template = await templateDir(root);
  if (!existsSync(join(template, 'PG_VERSION'))) return false;
  // What a copy cut short left behind (under the same lock, so no copy is running).
  const parent = dirname(pgdata);
  for (const name of readdirSync(parent)) {
    if (name.startsWith(`${basename(pgdata)}.partial-`)) rmSync(join(parent, name), { recursive: true, force: true });
  }
  const partial = `${pgdata}.partial-${randomBytes(4).toString('hex')}`;
  try {
    // A copy-on-write clone where the file system offers one, else a plain copy.
    cpSync(template, partial, { recursive: true, mode: constants.COPYFILE_FICLONE });
    renameSync(partial, pgdata);
    return true;
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    throw error;
  }
}
