import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './harness.js';
import { onCi } from './services.js';

/**
 * PostgreSQL and Redis servers a test starts, stops and kills itself, on ports of their own and in
 * temporary directories: outages are tested without touching the machine's servers. Missing
 * binaries skip the suite with the reason, or fail it when CI=true (as in services.ts).
 */

const run = promisify(execFile);

function unavailable(name: string, reason: string): undefined {
  if (onCi) throw new Error(`${reason}, and CI=true requires ${name}.`);
  console.warn(`[skipped] suites that start their own ${name}: ${reason}`);
  return undefined;
}

/** Where a throwaway cluster's binaries are, and who owns it (the postgres user when running as root). */
export interface PostgresInstall {
  bin: string;
  owner: { uid: number; gid: number } | undefined;
}

/**
 * The newest PostgreSQL server binaries (PG_BIN, else the highest /usr/lib/postgresql/<version>/bin).
 * initdb refuses to run as root, so under root (the test containers) the cluster belongs to the
 * postgres user. Undefined, after saying why, when this machine cannot start a cluster.
 */
export function findPostgres(): PostgresInstall | undefined {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const bin = process.env.PG_BIN ?? (versions[0] === undefined ? undefined : join(root, versions[0], 'bin'));
  if (!bin) return unavailable('PostgreSQL', 'no initdb in /usr/lib/postgresql/*/bin (set PG_BIN)');
  if (userInfo().uid !== 0) return { bin, owner: undefined };
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    return { bin, owner: { uid: id('-u'), gid: id('-g') } };
  } catch {
    return unavailable('PostgreSQL', 'running as root, and there is no postgres user to own the cluster');
  }
}

export interface ThrowawayPostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`, trust authentication. */
  url: string;
  /** `pg_ctl stop -m fast`: every session is terminated (57P01), as in an operator's restart. */
  stop(): Promise<void>;
  /** `pg_ctl start`, returning once the server accepts connections. */
  start(): Promise<void>;
  /** `pg_ctl restart -m fast`, returning once the server accepts connections again. */
  restart(): Promise<void>;
  /** Stop the server and delete its directory. */
  destroy(): Promise<void>;
}

/** initdb a cluster in a temporary directory and start it on a free loopback port. */
export async function startThrowawayPostgres({ bin, owner }: PostgresInstall): Promise<ThrowawayPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-pg-'));
  const data = join(dir, 'data');
  const socket = join(dir, 'socket');
  mkdirSync(socket);
  if (owner) for (const path of [dir, socket]) chownSync(path, owner.uid, owner.gid);
  const as = (tool: string, args: string[]) =>
    owner ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]) : run(join(bin, tool), args);
  const port = await freePort();
  // fsync off: nothing here must survive a power cut, and restarts are quicker.
  const options = `-p ${port} -k ${socket} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const ctl = (...args: string[]) => as('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-o', options, '-w', ...args]);
  try {
    await as('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '--no-instructions', '-E', 'UTF8']);
    await ctl('start');
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  let running = true;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await ctl('-m', 'fast', 'stop');
      running = false;
    },
    async start() {
      await ctl('start');
      running = true;
    },
    async restart() {
      await ctl('-m', 'fast', 'restart');
      running = true;
    },
    async destroy() {
      try {
        if (running) await ctl('-m', 'immediate', 'stop');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export interface ThrowawayRedis {
  /** `redis://127.0.0.1:<port>`. */
  url: string;
  /** SIGKILL: the connections drop at once, as when the process or its host dies. */
  kill(): Promise<void>;
  /** Start it again on the same port, empty (nothing is persisted). */
  start(): Promise<void>;
  /** Freeze it (SIGSTOP) or let it run again (SIGCONT): connections stay open but nothing answers. */
  pause(paused: boolean): void;
}

/** The redis-server binary (REDIS_SERVER, else on the PATH), or undefined, after saying why, when there is none. */
export function findRedisServer(): string | undefined {
  const binary = process.env.REDIS_SERVER ?? 'redis-server';
  try {
    execFileSync(binary, ['--version']);
    return binary;
  } catch {
    return unavailable('Redis', `${binary} is not installed (set REDIS_SERVER)`);
  }
}

/** A `redis-server` child process on a free port, persisting nothing. */
export async function startThrowawayRedis(binary: string): Promise<ThrowawayRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = () =>
    new Promise<void>((resolve, reject) => {
      const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'];
      const started = spawn(binary, args, { stdio: ['ignore', 'pipe', 'inherit'] });
      let output = '';
      started.stdout?.on('data', (chunk: Buffer) => {
        output += chunk;
        if (output.includes('Ready to accept connections')) {
          started.stdout?.removeAllListeners('data');
          started.stdout?.resume();
          resolve();
        }
      });
      started.once('error', reject);
      started.once('exit', (code) => reject(new Error(`redis-server exited (${code}) before it was ready:\n${output}`)));
      child = started;
    });
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    async kill() {
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGKILL');
      await exited;
    },
    start,
    pause(paused) {
      child?.kill(paused ? 'SIGSTOP' : 'SIGCONT');
    },
  };
}
