import { type ChildProcess, spawn } from 'node:child_process';
import fs, { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir, recordServerUrl, runningServer } from '../src/db/lock.js';

const DEAD_PID = 999_999_999;

/** Every temporary folder this file made, removed when it ends so runs leave nothing in the OS temp dir. */
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function freshDir(prefix = 'gh-lock-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

const lockFile = (dir: string) => join(dir, 'gatehouse.pid');

/** The pid the lock file names (its first line). */
function pidInLock(dir: string): number {
  return Number(readFileSync(lockFile(dir), 'utf8').split('\n')[0]);
}

describe('the data dir lock', () => {
  it('writes the pid whole, and releases only on close', () => {
    const dir = freshDir();
    const release = lockDataDir(dir);
    expect(pidInLock(dir)).toBe(process.pid);
    expect(runningServer(dir)?.pid).toBe(process.pid);
    release();
    expect(existsSync(lockFile(dir))).toBe(false);
    // No temporary file is left behind.
    expect(readdirSync(dir)).toEqual([]);
  });

  it.each([
    ['empty', ''],
    ['garbage', 'not a pid'],
    ['a negative number', '-42\n'],
    ['a pid with trailing junk', '123abc'],
    ['a dead pid', `${DEAD_PID}`],
    ['a dead pid and token', `${DEAD_PID}\nabcdef\n`],
    // An earlier process with this same pid (a restarted container) that wrote no token of ours.
    ['this pid from an earlier process', `${process.pid}\n`],
  ])('takes over a lock file holding %s', (_name, text) => {
    const dir = freshDir();
    writeFileSync(lockFile(dir), text);
    expect(runningServer(dir)).toBeUndefined();
    const release = lockDataDir(dir);
    expect(pidInLock(dir)).toBe(process.pid);
    release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses while another live process holds it, and leaves its lock alone', () => {
    const dir = freshDir();
    // Our parent is a live process other than us.
    writeFileSync(lockFile(dir), `${process.ppid}\n`);
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    expect(() => lockDataDir(dir)).toThrow(`Another Gatehouse process (pid ${process.ppid})`);
    expect(readFileSync(lockFile(dir), 'utf8')).toBe(`${process.ppid}\n`);
  });

  it('refuses a second open in the same process', () => {
    const dir = freshDir();
    const release = lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow(/This process already has the data directory .* open/);
    release();
    lockDataDir(dir)();
  });

  it('release leaves alone a lock that is no longer ours', () => {
    const dir = freshDir();
    const release = lockDataDir(dir);
    writeFileSync(lockFile(dir), `${process.ppid}\n`);
    release();
    expect(readFileSync(lockFile(dir), 'utf8')).toBe(`${process.ppid}\n`);
  });

  it('a takeover already in progress in a live process wins; a dead one asks a person', () => {
    const dir = freshDir();
    writeFileSync(lockFile(dir), `${DEAD_PID}\n`);
    writeFileSync(join(dir, 'gatehouse.pid.takeover'), `${process.ppid}\n`);
    expect(() => lockDataDir(dir)).toThrow(`pid ${process.ppid}`);
    // The stale lock was not removed under the other process's feet.
    expect(readFileSync(lockFile(dir), 'utf8')).toBe(`${DEAD_PID}\n`);

    writeFileSync(join(dir, 'gatehouse.pid.takeover'), `${DEAD_PID}\n`);
    expect(() => lockDataDir(dir)).toThrow(/died while taking over the lock.*delete .*gatehouse\.pid\.takeover/);
  });
});

/** Run `fn` while link() fails with `code`, as on a filesystem without hard links. */
function withoutHardLinks<T>(code: string, fn: () => T): T {
  const original = fs.linkSync;
  fs.linkSync = () => {
    throw Object.assign(new Error(`${code}: operation not permitted, link`), { code });
  };
  // Named imports of node:fs (the lock module's) follow the patched default export.
  syncBuiltinESMExports();
  try {
    return fn();
  } finally {
    fs.linkSync = original;
    syncBuiltinESMExports();
  }
}

describe('the data dir lock without hard links', () => {
  it.each(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV'])('falls back to an exclusive create on %s, and leaves no temporary file', (code) => {
    withoutHardLinks(code, () => {
      const dir = freshDir();
      const release = lockDataDir(dir);
      expect(pidInLock(dir)).toBe(process.pid);
      expect(readdirSync(dir)).toEqual(['gatehouse.pid']);
      expect(() => lockDataDir(dir)).toThrow(/This process already has the data directory/);
      release();
      expect(readdirSync(dir)).toEqual([]);

      // A stale lock is still taken over (the takeover guard uses the same fallback).
      writeFileSync(lockFile(dir), `${DEAD_PID}\n`);
      const again = lockDataDir(dir);
      expect(pidInLock(dir)).toBe(process.pid);
      again();
      expect(readdirSync(dir)).toEqual([]);
    });
  });

  it('removes its temporary file when link() fails for another reason', () => {
    const dir = freshDir();
    withoutHardLinks('EIO', () => expect(() => lockDataDir(dir)).toThrow(/EIO/));
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('the running server record', () => {
  it('names the URL only while the process that wrote it holds the lock', () => {
    const dir = freshDir();
    expect(runningServer(dir)).toBeUndefined();
    const release = lockDataDir(dir);
    // Holding the lock but not listening yet (opening PGlite, migrating).
    expect(runningServer(dir)).toEqual({ pid: process.pid, url: undefined });
    const forget = recordServerUrl(dir, 'http://127.0.0.1:1234');
    expect(runningServer(dir)).toEqual({ pid: process.pid, url: 'http://127.0.0.1:1234' });
    forget();
    expect(runningServer(dir)).toEqual({ pid: process.pid, url: undefined });
    release();
    expect(runningServer(dir)).toBeUndefined();
  });

  it('ignores a record left by an earlier server', () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'gatehouse.server.json'), JSON.stringify({ pid: process.pid, token: 'old', url: 'http://127.0.0.1:1' }));
    const release = lockDataDir(dir);
    expect(runningServer(dir)).toEqual({ pid: process.pid, url: undefined });
    release();
    expect(runningServer(dir)).toBeUndefined();
  });
});

/**
 * The lock module compiled to plain JavaScript, so that child processes (plain Node, no loader)
 * race on it for real.
 */
function compiledLockModule(): string {
  const source = readFileSync(fileURLToPath(new URL('../src/db/lock.ts', import.meta.url)), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  const file = join(freshDir('gh-lock-module-'), 'lock.mjs');
  writeFileSync(file, outputText);
  return file;
}

/**
 * A child that imports the lock, says `ready`, then for each `go <time> <dir>` spins until that
 * moment (so every child calls lockDataDir within the same fraction of a millisecond) and reports
 * `won` or `refused`. It stays alive, so the locks it won stay live, until its stdin closes.
 */
const contender = `
const { lockDataDir } = await import(process.argv[1]);
const { createInterface } = await import('node:readline');
console.log('ready');
for await (const line of createInterface({ input: process.stdin })) {
  const [, at, dir] = line.split(' ');
  while (performance.timeOrigin + performance.now() < Number(at)) {}
  try {
    lockDataDir(dir);
    console.log('won');
  } catch (error) {
    console.log(error.name === 'DataDirLockedError' ? 'refused' : 'error ' + error.message);
  }
}
`;

describe('processes racing for one data dir', () => {
  const contenders: { child: ChildProcess; lines: AsyncIterator<string> }[] = [];
  beforeAll(async () => {
    const module = compiledLockModule();
    for (let i = 0; i < 6; i++) {
      const child = spawn(process.execPath, ['--input-type=module', '-e', contender, module], { stdio: ['pipe', 'pipe', 'inherit'] });
      contenders.push({ child, lines: createInterface({ input: child.stdout! })[Symbol.asyncIterator]() });
    }
    for (const { lines } of contenders) expect((await lines.next()).value).toBe('ready');
  });
  afterAll(async () => {
    await Promise.all(contenders.map(({ child }) => new Promise((resolve) => child.once('exit', resolve).stdin!.end())));
  });

  /** Every contender tries to lock `dir` at the same moment; returns the pids that won. */
  async function race(dir: string): Promise<number[]> {
    const at = Date.now() + 20;
    for (const { child } of contenders) child.stdin!.write(`go ${at} ${dir}\n`);
    const outcomes = await Promise.all(contenders.map(async ({ lines }) => (await lines.next()).value as string));
    expect(outcomes.filter((o) => o !== 'won' && o !== 'refused')).toEqual([]);
    return contenders.filter((_, i) => outcomes[i] === 'won').map(({ child }) => child.pid!);
  }

  it.each([
    ['no lock', undefined],
    ['an empty lock', ''],
    ['a stale lock (dead pid)', `${DEAD_PID}\n`],
    ['garbage', 'x'],
  ])('exactly one wins, over %s, every time', async (_name, text) => {
    for (let round = 0; round < 20; round++) {
      const dir = freshDir();
      if (text !== undefined) writeFileSync(lockFile(dir), text);
      const winners = await race(dir);
      expect(winners).toHaveLength(1);
      expect(pidInLock(dir)).toBe(winners[0]);
    }
  });
});
