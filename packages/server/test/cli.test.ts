import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, watch } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { lockDataDir, recordServerUrl } from '../src/db/lock.js';
import { createGatehouse } from '../src/gatehouse.js';
import { buildServer } from './build-server.js';
import { createTestSchema } from './harness.js';
import { postgresUrl } from './services.js';

/** Each CLI run opens PGlite (seconds on a busy machine; a fresh data dir takes longer). */
const SLOW = 240_000;

const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = join(root, 'packages/server/dist/cli.js');

// The CLI runs compiled, as `npm start` runs it: build first (incremental, fast when up to date),
// so the suite never runs a stale dist, and never skips for want of one.
// One build at a time across test files (build-server.ts says why).
beforeAll(buildServer);

type Env = Record<string, string>;

/** The environment of a CLI on a PGlite data dir, with nothing inherited that would change its mode. */
function pgliteEnv(dataDir: string, extra: Env = {}): Env {
  return {
    DATABASE_URL: '',
    GATEHOUSE_SECRET_KEY: '',
    GATEHOUSE_ENCRYPTION_KEY: '',
    GATEHOUSE_DATA_DIR: dataDir,
    PUBLIC_URL: 'http://localhost:8787',
    PORT: '0',
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

/** Every process a test started, so a failed test leaves none running. */
const children = new Set<ChildProcess>();
afterEach(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.clear();
});

function spawnCli(args: string[], env: Env): ChildProcess {
  const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  return child;
}

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run one CLI command to its end. */
function run(args: string[], env: Env): Promise<Result> {
  const child = spawnCli(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

/** Run a command that must succeed; its stdout. */
async function ok(args: string[], env: Env): Promise<string> {
  const result = await run(args, env);
  expect(result, `gatehouse ${args.join(' ')}`).toMatchObject({ code: 0, stderr: '' });
  return result.stdout;
}

interface Started {
  child: ChildProcess;
  output: () => string;
  url: string;
}

/** Run `gatehouse start` and wait for its banner (rejects with the output if it exits first). */
function start(env: Env): Promise<Started> {
  const child = spawnCli(['start'], env);
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1] && output.includes('reference')) resolve({ child, output: () => output, url: match[1] });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`gatehouse exited with ${code}:\n${output}`)));
  });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

async function stop(started: Started, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  const exit = exited(started.child);
  started.child.kill(signal);
  expect(await exit).toEqual({ code: 0, signal: null });
}

const secretKeyIn = (text: string) => /(sk_(?:live|test)_[0-9a-z]+)/.exec(text)?.[1];
const keyIdIn = (text: string) => /Created (key_\w+)/.exec(text)?.[1];

/** Every temporary folder this file made (PGlite data dirs), removed when it ends. */
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function freshDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gh-cli-'));
  made.push(dir);
  return join(dir, 'data');
}

/** Queue an email by signing up (its verification code waits in the outbox, as SMTP_URL is unset). */
async function signUp(url: string, email: string): Promise<void> {
  const response = await fetch(`${url}/v1/auth/sign-up`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: 'http://localhost:8787' },
    body: JSON.stringify({ email, password: 'correct horse battery staple' }),
  });
  expect(response.status).toBe(200);
}

async function jwksKids(url: string): Promise<string[]> {
  const body = (await (await fetch(`${url}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
  return body.keys.map((k) => k.kid);
}

describe('gatehouse start (built CLI)', () => {
  it('prints the key once, refuses a second process on the data dir, and closes cleanly on SIGTERM', { timeout: SLOW }, async () => {
    const dataDir = freshDataDir();
    const first = await start(pgliteEnv(dataDir));
    const key = secretKeyIn(first.output());
    expect(key).toBeDefined();
    const users = await fetch(`${first.url}/backend/v1/users`, { headers: { authorization: `Bearer ${key}` } });
    expect(users.status).toBe(200);
    expect(existsSync(join(dataDir, 'gatehouse.pid'))).toBe(true);

    const second = await start(pgliteEnv(dataDir)).catch((error: Error) => error.message);
    expect(second).toMatch(/Another Gatehouse process \(pid \d+\) is using the data directory/);

    await stop(first);
    expect(existsSync(join(dataDir, 'gatehouse.pid'))).toBe(false);
    expect(existsSync(join(dataDir, 'gatehouse.server.json'))).toBe(false);

    const again = await start(pgliteEnv(dataDir));
    expect(again.output()).not.toContain('sk_live_');
    const stillValid = await fetch(`${again.url}/backend/v1/users`, { headers: { authorization: `Bearer ${key}` } });
    expect(stillValid.status).toBe(200);
    await stop(again, 'SIGINT');
  });

  it('stores no key when the port is taken, and prints one at the next start that listens', { timeout: SLOW }, async () => {
    const dataDir = freshDataDir();
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = String((blocker.address() as { port: number }).port);
    try {
      const failed = await run(['start'], pgliteEnv(dataDir, { PORT: port }));
      expect(failed.code).toBe(1);
      expect(failed.stderr).toContain(`gatehouse: Port ${port} on 127.0.0.1 is already in use`);
      expect(failed.stdout + failed.stderr).not.toMatch(/sk_live_/);
    } finally {
      blocker.close();
    }
    // The failed start closed PGlite and released the lock, and stored no key.
    expect(existsSync(join(dataDir, 'gatehouse.pid'))).toBe(false);
    expect(await ok(['keys', 'list'], pgliteEnv(dataDir))).toBe('No secret keys.\n');

    const next = await start(pgliteEnv(dataDir));
    const key = secretKeyIn(next.output());
    expect(key).toBeDefined();
    const users = await fetch(`${next.url}/backend/v1/users`, { headers: { authorization: `Bearer ${key}` } });
    expect(users.status).toBe(200);
    await stop(next);
  });

  it('closes PGlite and releases the lock on a signal that arrives while it starts', { timeout: SLOW }, async () => {
    const dataDir = freshDataDir();
    mkdirSync(dataDir);
    const child = spawnCli(['start'], pgliteEnv(dataDir));
    const exit = exited(child);
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // The lock appears just before PGlite opens and migrates: signal at that moment.
    await new Promise<void>((resolve) => {
      const check = () => {
        if (!existsSync(join(dataDir, 'gatehouse.pid'))) return;
        watcher.close();
        child.kill('SIGTERM');
        resolve();
      };
      const watcher = watch(dataDir, check);
      check();
    });
    expect(await exit, output).toEqual({ code: 0, signal: null });
    expect(existsSync(join(dataDir, 'gatehouse.pid'))).toBe(false);
    // The database is whole: the rest of the migrations apply, and the server starts.
    expect(await ok(['migrate'], pgliteEnv(dataDir))).toMatch(/^(Applied \d+ migrations?:|The database is up to date)/);
    await stop(await start(pgliteEnv(dataDir)));
  });
});

/**
 * Every `keys` and `outbox` command, on whatever `env` points at. With `server`, its API shows the
 * effects; `viaServer` when the CLI goes through it (then it signs with a rotated key at once).
 */
async function exerciseKeysAndOutbox(env: Env, server?: { url: string; viaServer: boolean }) {
  const created = await ok(['keys', 'create', '--name', 'deploy', '--env', 'test'], env);
  const keyId = keyIdIn(created);
  const secret = secretKeyIn(created);
  expect(keyId).toBeDefined();
  expect(secret).toMatch(/^sk_test_/);
  if (server) {
    const listed = await ok(['keys', 'list'], env);
    expect(listed).toMatch(new RegExp(`${keyId}  test  …${secret!.slice(-4)}  active  deploy`));
  }

  expect(await ok(['keys', 'revoke', keyId!], env)).toBe(`Revoked ${keyId}.\n`);
  expect(await ok(['keys', 'list'], env)).toMatch(new RegExp(`${keyId}  test  …${secret!.slice(-4)}  revoked \\S+  deploy`));
  if (server) {
    // The revoked key no longer opens the backend API.
    const refused = await fetch(`${server.url}/backend/v1/users`, { headers: { authorization: `Bearer ${secret}` } });
    expect(refused.status).toBe(401);
    const unknown = await run(['keys', 'revoke', 'key_0000000000000000000000000'], env);
    expect(unknown).toMatchObject({
      code: 1,
      stderr: 'gatehouse: No secret key key_0000000000000000000000000. Run `gatehouse keys list` to see them.\n',
    });
  }

  const rotated = await ok(['keys', 'rotate-signing'], env);
  const kid = /New signing key (sig_\w+) is active/.exec(rotated)?.[1];
  expect(kid).toBeDefined();
  if (server) {
    const again = await ok(['keys', 'rotate-signing'], env);
    expect(again).toContain(`Retired ${kid}: it stays in /.well-known/jwks.json until `);
    const newKid = /New signing key (sig_\w+) is active/.exec(again)?.[1];
    // Through the API, the server that rotated publishes (and signs with) the new key at once.
    if (server.viaServer) expect(await jwksKids(server.url)).toEqual([newKid, kid]);
  } else {
    expect(rotated).toMatch(/Retired sig_\w+: it stays in \/\.well-known\/jwks\.json until /);
  }

  const outbox = await ok(['outbox', '--limit', '5'], env);
  expect(outbox).toMatch(/verify_email {2}to cli-\w+@example\.com {2}pending/);
  expect(outbox).toMatch(/ {2}\| .*\d{6}/);
}

describe('gatehouse migrate, keys and outbox on PGlite', () => {
  it('migrate says what it applied, once; keys and outbox go through a running server, then open the stopped data dir', {
    timeout: SLOW,
  }, async () => {
    const dataDir = freshDataDir();
    expect(await ok(['migrate'], pgliteEnv(dataDir))).toMatch(/^Applied \d+ migrations:\n {2}0001_users\n {2}0002_auth\n/);
    expect(await ok(['migrate'], pgliteEnv(dataDir))).toBe('The database is up to date: no migration to apply.\n');

    // While a server holds the data dir, the commands go through it (with an admin key).
    const server = await start(pgliteEnv(dataDir));
    const adminKey = secretKeyIn(server.output())!;
    const email = `cli-${randomBytes(4).toString('hex')}@example.com`;
    await signUp(server.url, email);

    // migrate has no API: it refuses, and says why.
    const refused = await run(['migrate'], pgliteEnv(dataDir));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/A Gatehouse process \(pid \d+\) holds .*\. A server applies migrations when it starts/);

    // Without a key the CLI says what to do, and touches nothing.
    const noKey = await run(['keys', 'list'], pgliteEnv(dataDir));
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toContain(`holds ${dataDir}, so this command goes through its backend API at ${server.url}`);
    expect(noKey.stderr).toContain('Set GATEHOUSE_SECRET_KEY=sk_live_… (or pass --key sk_live_…)');
    const badKey = await run(['outbox', '--key', 'sk_live_wrong'], pgliteEnv(dataDir));
    expect(badKey.code).toBe(1);
    expect(badKey.stderr).toContain('Set GATEHOUSE_SECRET_KEY (or --key) to a valid admin key of the server');

    await exerciseKeysAndOutbox(pgliteEnv(dataDir, { GATEHOUSE_SECRET_KEY: adminKey }), { url: server.url, viaServer: true });
    // --key works as well as the variable.
    expect(await ok(['keys', 'list', '--key', adminKey], pgliteEnv(dataDir))).toContain('Initial key');
    await stop(server);

    // Stopped: the same commands open the data dir directly, and need no key.
    expect(await ok(['outbox', '--to', email], pgliteEnv(dataDir))).toContain(`to ${email}  pending`);
    await exerciseKeysAndOutbox(pgliteEnv(dataDir));

    // And the next server sees what the CLI did: the key made while it was stopped works.
    const created = await ok(['keys', 'create'], pgliteEnv(dataDir));
    const again = await start(pgliteEnv(dataDir));
    const users = await fetch(`${again.url}/backend/v1/users`, { headers: { authorization: `Bearer ${secretKeyIn(created)}` } });
    expect(users.status).toBe(200);
    await stop(again);
  });
});

describe('gatehouse keys and outbox beside another process on PGlite', () => {
  it('says when the holder of the data dir is not serving yet', { timeout: SLOW }, async () => {
    const dataDir = freshDataDir();
    // This test process holds the lock, as a server still opening PGlite (or another command) would.
    const release = lockDataDir(dataDir);
    try {
      const result = await run(['keys', 'list'], pgliteEnv(dataDir, { GATEHOUSE_SECRET_KEY: 'sk_live_x' }));
      expect(result).toMatchObject({
        code: 1,
        stderr:
          `gatehouse: A Gatehouse process (pid ${process.pid}) holds ${dataDir} and is not serving yet ` +
          '(starting, or running another command). Run this again in a moment.\n',
      });
    } finally {
      release();
    }
  });

  it('Ctrl-C ends a request to a server that never answers', { timeout: SLOW }, async () => {
    const dataDir = freshDataDir();
    const hung = createHttpServer(() => {});
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    const release = lockDataDir(dataDir);
    const forget = recordServerUrl(dataDir, `http://127.0.0.1:${(hung.address() as { port: number }).port}`);
    try {
      const requested = new Promise((resolve) => hung.once('request', resolve));
      const child = spawnCli(['outbox'], pgliteEnv(dataDir, { GATEHOUSE_SECRET_KEY: 'sk_live_x' }));
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exit = exited(child);
      await requested;
      child.kill('SIGINT');
      expect(await exit).toEqual({ code: 0, signal: null });
      expect(stderr).toBe('');
    } finally {
      forget();
      release();
      hung.closeAllConnections();
      hung.close();
    }
  });

  it('on a data dir nobody holds, a command opens it and applies the migrations itself', { timeout: SLOW }, async () => {
    expect(await ok(['outbox'], pgliteEnv(freshDataDir()))).toBe('The outbox is empty.\n');
  });
});

describe('createGatehouse with migrations: check', () => {
  it('refuses a database that is not migrated, naming what is pending and the command to run', async () => {
    const config = loadConfig({ PUBLIC_URL: 'http://localhost:8787', LOG_LEVEL: 'silent' });
    await expect(createGatehouse({ config, database: { engine: 'pglite-memory' }, migrations: 'check' })).rejects.toThrow(
      /not migrated to this version of Gatehouse \(pending: 0001_users, .*\)\. Run `gatehouse migrate` first/,
    );
  });
});

const pg = await postgresUrl();

describe.skipIf(!pg)('gatehouse CLI on PostgreSQL', () => {
  let env: Env;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const schema = await createTestSchema(pg!);
    drop = schema.drop;
    const url = new URL(pg!);
    url.searchParams.set('options', `-c search_path=${schema.schema}`);
    env = {
      ...pgliteEnv(freshDataDir()),
      DATABASE_URL: url.toString(),
      GATEHOUSE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    };
  });
  afterAll(() => drop?.());

  it('migrates, stores no key on a failed start, and runs every command against the database', { timeout: SLOW }, async () => {
    // The database is shared with running servers: other commands never migrate it, they say what to run.
    const unmigrated = await run(['keys', 'list'], env);
    expect(unmigrated.code).toBe(1);
    expect(unmigrated.stderr).toMatch(/^gatehouse: The database is not migrated to this version of Gatehouse \(pending: 0001_users, /);
    expect(unmigrated.stderr).toContain('Run `gatehouse migrate` first');
    // Nothing was applied: migrate still starts from the first migration.
    expect(await ok(['migrate'], env)).toMatch(/^Applied \d+ migrations:\n {2}0001_users\n/);
    expect(await ok(['migrate'], env)).toBe('The database is up to date: no migration to apply.\n');

    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = String((blocker.address() as { port: number }).port);
    const failed = await run(['start'], { ...env, PORT: port });
    blocker.close();
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(`Port ${port} on 127.0.0.1 is already in use`);
    expect(await ok(['keys', 'list'], env)).toBe('No secret keys.\n');

    const server = await start(env);
    expect(server.output()).toContain('(PostgreSQL)');
    expect(secretKeyIn(server.output())).toBeDefined();
    await signUp(server.url, `cli-${randomBytes(4).toString('hex')}@example.com`);
    // With DATABASE_URL the CLI opens the database itself, even while a server runs.
    await exerciseKeysAndOutbox(env, { url: server.url, viaServer: false });
    await stop(server);
  });
});
