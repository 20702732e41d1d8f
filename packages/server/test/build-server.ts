import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const root = fileURLToPath(new URL('../../../', import.meta.url));

/** A build that holds the lock longer than this is taken for dead (its process killed) and the lock taken over. */
const STALE_MS = 5 * 60_000;

/**
 * `tsc -b packages/server` (incremental: quick when up to date), one build at a time across test
 * files. Vitest runs files in parallel processes; two builds writing dist at once could let one
 * file's child process load a module the other is still writing. With the lock, the second build
 * finds everything up to date and writes nothing.
 */
export function buildServer(): void {
  const lock = join(tmpdir(), `gatehouse-build-${createHash('sha256').update(root).digest('hex').slice(0, 12)}.lock`);
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      try {
        if (Date.now() - statSync(lock).mtimeMs > STALE_MS) rmSync(lock, { recursive: true, force: true });
      } catch {}
      Atomics.wait(pause, 0, 0, 100);
    }
  }
  try {
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-b', 'packages/server'], {
      cwd: root,
      stdio: 'inherit',
    });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
