import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

interface Started {
  child: ChildProcess;
  output: () => string;
  url: string;
}

/** Run `gatehouse start` on a PGlite data dir and wait for its banner. */
function start(dataDir: string): Promise<Started> {
  const child = spawn(process.execPath, [cli, 'start'], {
    env: { ...process.env, DATABASE_URL: '', GATEHOUSE_SECRET_KEY: '', GATEHOUSE_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe.skipIf(!existsSync(cli))('gatehouse start (built CLI)', () => {
  it('prints the key once, refuses a second process on the data dir, and closes cleanly on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gh-cli-'));
    const first = await start(dataDir);
    const key = /(sk_live_[0-9a-z]+)/.exec(first.output())?.[1];
    expect(key).toBeDefined();
    const users = await fetch(`${first.url}/backend/v1/users`, { headers: { authorization: `Bearer ${key}` } });
    expect(users.status).toBe(200);
    expect(existsSync(join(dataDir, 'gatehouse.pid'))).toBe(true);

    const second = await start(dataDir).catch((error: Error) => error.message);
    expect(second).toMatch(/Another Gatehouse process \(pid \d+\) is using the data directory/);

    first.child.kill('SIGTERM');
    expect(await exited(first.child)).toBe(0);
    expect(existsSync(join(dataDir, 'gatehouse.pid'))).toBe(false);

    const again = await start(dataDir);
    expect(again.output()).not.toContain('sk_live_');
    const stillValid = await fetch(`${again.url}/backend/v1/users`, { headers: { authorization: `Bearer ${key}` } });
    expect(stillValid.status).toBe(200);
    again.child.kill('SIGINT');
    expect(await exited(again.child)).toBe(0);
  });
});
