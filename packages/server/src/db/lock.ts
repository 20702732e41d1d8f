import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The lock: the pid and token of the process that has the data dir's PGlite open. */
const LOCK_FILE = 'gatehouse.pid';
/** Held for the few microseconds of a stale-lock takeover, so two takeovers cannot interleave. */
const TAKEOVER_FILE = 'gatehouse.pid.takeover';
/** Written by `gatehouse start` once it listens: `{ pid, token, url }`, so CLI commands can reach it. */
const SERVER_FILE = 'gatehouse.server.json';

/**
 * Names this process in lock files beside its pid: a container restarted after a crash often gets
 * the same pid again, and its old lock must read as stale, not as "already open in this process".
 */
const processToken = randomBytes(8).toString('hex');
/** What this process writes into the lock file and the takeover guard. */
const ownText = `${process.pid}\n${processToken}\n`;

/** Thrown when a live process (possibly this one) holds the data directory. */
export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      pid === process.pid
        ? `This process already has the data directory ${dataDir} open; PGlite allows one database session per directory.`
        : `Another Gatehouse process (pid ${pid}) is using the data directory ${dataDir}. ` +
            'PGlite is single-process: stop that process first, or point this one at another GATEHOUSE_DATA_DIR ' +
            '(or at a PostgreSQL server with DATABASE_URL).',
    );
    this.name = 'DataDirLockedError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Who a lock file names: a pid, and the token of the process that wrote it. */
interface LockOwner {
  pid: number;
  /** Absent in locks written before tokens existed. */
  token: string | undefined;
}

/** Anything but a pid and token (empty, garbage) names nobody: this code never writes a partial lock. */
function ownerIn(text: string): LockOwner | undefined {
  const match = /^(\d{1,10})\n(?:([0-9a-f]+)\n)?$/.exec(text.endsWith('\n') ? text : `${text}\n`);
  const pid = Number(match?.[1]);
  if (!match || !Number.isSafeInteger(pid) || pid <= 0) return undefined;
  return { pid, token: match[2] };
}

/** The live process (this one included) a lock file's text names, if any. */
function holderIn(text: string): number | undefined {
  const owner = ownerIn(text);
  if (!owner) return undefined;
  if (owner.pid === process.pid) return owner.token === processToken ? owner.pid : undefined;
  return isAlive(owner.pid) ? owner.pid : undefined;
}

/** A file's text, or undefined when it does not exist. */
function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** link() errors of filesystems without hard links (some Docker Desktop, SMB and FUSE mounts). */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV']);

/**
 * Create `file` holding `text`, atomically: the text goes to a unique temporary file first, then
 * link() gives it its name, failing with EEXIST when the name is taken. Nobody can ever read the
 * file half-written (an empty lock looked stale and was taken over). False when `file` exists.
 *
 * Where the filesystem has no hard links, `file` is created with O_EXCL ('wx') and written in
 * place. Weaker: for the microseconds between create and write, another process may read it
 * empty, judge it debris and take it over, so two processes starting at that very instant could
 * both open the directory (and exclusive create itself is only as atomic as the mount makes it).
 * Still far better than no lock; a local disk or PostgreSQL has no such window.
 */
function createWithText(file: string, text: string): boolean {
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    writeFileSync(temporary, text, { mode: 0o600, flag: 'wx' });
    try {
      linkSync(temporary, file);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (code === 'EEXIST') return false;
      if (!NO_HARD_LINKS.has(code)) throw error;
    }
    return createExclusive(file, text);
  } finally {
    // Whatever happened (even a write that failed half-way), no temporary file is left behind.
    rmSync(temporary, { force: true });
  }
}

/** The fallback of {@link createWithText}: exclusive create, then write. False when `file` exists. */
function createExclusive(file: string, text: string): boolean {
  try {
    writeFileSync(file, text, { mode: 0o600, flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** Remove `file` only while it still holds `text` (the caller must know nobody else may change it meanwhile). */
function removeIfHolds(file: string, text: string): void {
  if (readText(file) === text) rmSync(file, { force: true });
}

/**
 * Remove a lock judged stale. Two processes that saw the same stale lock must not both remove
 * "it": the slower one would delete the lock the faster one had just taken. So removal happens
 * under a takeover guard, and only if the lock still holds the text judged stale; a live lock is
 * never removed, since only its own process removes it. A guard held by a live process means it is
 * taking the data dir right now: refused as locked by that process.
 */
function removeStaleLock(dataDir: string, staleText: string): void {
  const guard = join(dataDir, TAKEOVER_FILE);
  if (!createWithText(guard, ownText)) {
    const text = readText(guard);
    if (text === undefined) return; // the other takeover just finished: the caller looks again
    const pid = holderIn(text);
    if (pid !== undefined) throw new DataDirLockedError(dataDir, pid);
    // Left by a process killed inside the few microseconds it holds the guard. Removing it here
    // would race exactly like the lock itself, so a person decides.
    throw new Error(
      `A process died while taking over the lock of ${dataDir}. If no Gatehouse process is running on it, delete ${guard} and start again.`,
    );
  }
  try {
    removeIfHolds(join(dataDir, LOCK_FILE), staleText);
  } finally {
    removeIfHolds(guard, ownText);
  }
}

/**
 * Take the data dir's pid lock: two processes on one PGlite directory corrupt it, and so do two
 * opens in one process. A lock naming a dead process (or an earlier process that had this pid), or
 * holding garbage (debris: this code never writes a partial lock), is taken over. Returns the function that releases it.
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, LOCK_FILE);
  // Each round either takes the lock, meets a live holder, or removes one stale lock; a few rounds
  // are only needed when other processes start and stop at the same moment.
  for (let round = 0; round < 10; round++) {
    if (createWithText(file, ownText)) return () => removeIfHolds(file, ownText);
    const text = readText(file);
    if (text === undefined) continue; // released since: try again
    const pid = holderIn(text);
    if (pid !== undefined) throw new DataDirLockedError(dataDir, pid);
    removeStaleLock(dataDir, text);
  }
  throw new Error(`Could not lock the data directory ${dataDir}: its lock file keeps changing.`);
}

/** A server holding a data dir: its pid, and its URL once it listens. */
export interface RunningServerRecord {
  pid: number;
  /** Undefined while the server is still starting (opening PGlite, migrating). */
  url: string | undefined;
}

/**
 * Record, next to the lock, the URL where the lock's holder (this process) listens, so CLI
 * commands reach it instead of opening the data dir. Written whole (rename is atomic). Returns the
 * function that removes the record, called before the lock is released.
 */
export function recordServerUrl(dataDir: string, url: string): () => void {
  const file = join(dataDir, SERVER_FILE);
  const text = `${JSON.stringify({ pid: process.pid, token: processToken, url })}\n`;
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, text, { mode: 0o600 });
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  return () => {
    try {
      removeIfHolds(file, text);
    } catch {
      // Best effort: a record whose pid no longer holds the lock is ignored anyway.
    }
  };
}

/**
 * The server holding a data dir, if a live process holds its lock. Its URL counts only when the
 * record names that same process: a record left by a crashed server is never trusted with a key.
 */
export function runningServer(dataDir: string): RunningServerRecord | undefined {
  const lockText = readText(join(dataDir, LOCK_FILE));
  const pid = lockText === undefined ? undefined : holderIn(lockText);
  if (lockText === undefined || pid === undefined) return undefined;
  let record: { pid?: unknown; token?: unknown; url?: unknown } = {};
  try {
    record = JSON.parse(readText(join(dataDir, SERVER_FILE)) ?? '{}') as typeof record;
  } catch {
    // Unreadable: treated as not recorded yet.
  }
  const sameProcess = record.pid === pid && record.token === ownerIn(lockText)?.token;
  return { pid, url: sameProcess && typeof record.url === 'string' ? record.url : undefined };
}
