import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { secureDataDir } from './data-dir.js';
import { migrateToLatest, openDatabase } from './index.js';
import { defaultTemplateRoot, templateDir } from './template.js';

/**
 * Make the data dir template of this version under `root` unless it is there: initdb and every
 * migration in a directory of its own, closed cleanly, then renamed into place, so a template is
 * either whole or absent, and two builds at once cannot mix. Templates of other versions are
 * removed. Returns the template's directory and whether this call made it.
 */
export async function buildTemplate(root: string = defaultTemplateRoot): Promise<{ dir: string; built: boolean }> {
  const dir = await templateDir(root);
  if (existsSync(join(dir, 'PG_VERSION'))) return { dir, built: false };
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const work = join(root, `.building-${randomBytes(4).toString('hex')}`);
  try {
    // openDatabase wants a data dir holding `pgdata`; the template is that `pgdata`.
    const handle = await openDatabase({ engine: 'pglite', dataDir: work, template: false });
    try {
      await migrateToLatest(handle.db);
    } finally {
      await handle.close();
    }
    // Copies are owner-only from the start, as a data dir must be.
    secureDataDir(join(work, 'pgdata'));
    try {
      renameSync(join(work, 'pgdata'), dir);
    } catch (error) {
      // Another build got there first: its template is as good as this one.
      if (!existsSync(join(dir, 'PG_VERSION'))) throw error;
      return { dir, built: false };
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  for (const entry of readdirSync(root)) {
    if (join(root, entry) !== dir && !entry.startsWith('.building-')) rmSync(join(root, entry), { recursive: true, force: true });
  }
  return { dir, built: true };
}

// `node packages/server/dist/db/build-template.js`: what `npm run build` runs.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = performance.now();
  const { dir, built } = await buildTemplate();
  const ms = Math.round(performance.now() - started);
  process.stdout.write(built ? `PGlite data dir template made in ${ms} ms: ${dir}\n` : `PGlite data dir template up to date: ${dir}\n`);
}
