import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Permission bits of the group and of everyone else: none of them on anything in a data dir. */
const OTHERS = 0o077;

/**
 * Make the PGlite data dir (live sign-up codes, reset links, the encryption key) owner-only:
 * created 0700, and in an existing one every folder and file that other local users could read
 * or write loses those bits (0755 → 0700, 0644 → 0600). Returns how many entries were tightened,
 * so the caller can say so. Symbolic links are left alone (their own mode means nothing).
 */
export function secureDataDir(dataDir: string): number {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  let tightened = 0;
  const visit = (path: string) => {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return;
    if ((stat.mode & OTHERS) !== 0) {
      chmodSync(path, stat.mode & ~OTHERS & 0o7777);
      tightened++;
    }
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(dataDir);
  return tightened;
}
