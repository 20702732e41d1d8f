import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGatehouse, type TestGatehouse } from './harness.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));

let t: TestGatehouse;
beforeAll(async () => {
  // The examples import the built SDK, as a user's code would.
  if (!existsSync(`${root}packages/sdk/dist/index.js`)) await run('npx', ['tsc', '-b', 'packages/sdk'], { cwd: root });
  t = await startTestGatehouse();
}, 120_000);
afterAll(() => t.close());

const readme = () => readFileSync(`${root}README.md`, 'utf8');

/** The README's curl lines, pointed at the test server. */
function readmeCurls(): string[] {
  return readme()
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

  it('signs up, verifies, signs in, revokes sessions and verifies a JWT with the shell session, exactly as written', async () => {
    const section = readme().split('## Sign up, sign in and sessions with curl')[1] ?? '';
    const script = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
    expect(script).toBeDefined();
    // A directory of its own for the jwks.json the script saves, with the examples beside it.
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-readme-'));
    symlinkSync(`${root}examples`, join(dir, 'examples'));
    try {
      const { stdout } = await run('bash', ['-c', `set -euo pipefail\n${(script as string).replaceAll('http://localhost:8787', t.url)}`], {
        cwd: dir,
        env: { ...process.env, GH_KEY: t.secretKey },
      });
      const [me, sessions, revoked, after, verified] = stdout.trim().split('\n');
      expect(JSON.parse(me as string)).toMatchObject({ status: 200, data: { user: { email: 'lin@example.com', firstName: 'Lin' } } });
      expect(JSON.parse(sessions as string).data.sessions).toHaveLength(2);
      expect(JSON.parse(revoked as string)).toMatchObject({ status: 200, data: { revoked: 1 } });
      expect(JSON.parse(after as string)).toMatchObject({ status: 401, data: null, errors: [{ code: 'unauthenticated' }] });
      expect(verified).toMatch(/^valid: user usr_\w+, session ses_\w+, expires \d{4}-/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs examples/backend-users.mjs', async () => {
    const { stdout } = await run(process.execPath, ['examples/backend-users.mjs'], {
      cwd: root,
      env: { ...process.env, GATEHOUSE_URL: t.url, GATEHOUSE_SECRET_KEY: t.secretKey },
    });
    expect(stdout).toMatch(/created usr_/);
    expect(stdout).toMatch(/second create: 409 conflict/);
    expect(stdout).toMatch(/users in total: \d+/);
  });
});
