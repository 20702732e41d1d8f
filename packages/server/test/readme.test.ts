import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGatehouse, type TestGatehouse } from './harness.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const sdkBuilt = existsSync(`${root}packages/sdk/dist/index.js`);

let t: TestGatehouse;
beforeAll(async () => {
  t = await startTestGatehouse();
});
afterAll(() => t.close());

/** The README's curl lines, pointed at the test server. */
function readmeCurls(): string[] {
  const readme = readFileSync(`${root}README.md`, 'utf8');
  return readme
    .split('\n')
    .filter((line) => line.startsWith('curl '))
    .map((line) => line.replaceAll('http://localhost:8787', t.url));
}

describe('the README', () => {
  it('creates and lists users with its curl examples, exactly as written', async () => {
    const [create, list, duplicate] = readmeCurls();
    const env = { ...process.env, GH_KEY: t.secretKey };
    const created = JSON.parse((await run('bash', ['-c', create!], { env })).stdout);
    expect(created).toMatchObject({ email: 'ada@example.com', firstName: 'Ada', hasPassword: true });
    const listed = JSON.parse((await run('bash', ['-c', list!], { env })).stdout);
    expect(listed.data.map((u: { id: string }) => u.id)).toContain(created.id);
    const conflict = JSON.parse((await run('bash', ['-c', duplicate!], { env })).stdout);
    expect(conflict).toEqual({ errors: [{ code: 'conflict', message: 'This email address is already in use.' }] });
  });

  it.skipIf(!sdkBuilt)('runs examples/backend-users.mjs', async () => {
    const { stdout } = await run(process.execPath, ['examples/backend-users.mjs'], {
      cwd: root,
      env: { ...process.env, GATEHOUSE_URL: t.url, GATEHOUSE_SECRET_KEY: t.secretKey },
    });
    expect(stdout).toMatch(/created usr_/);
    expect(stdout).toMatch(/second create: 409 conflict/);
    expect(stdout).toMatch(/users in total: \d+/);
  });
});
