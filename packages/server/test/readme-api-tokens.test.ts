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
const HEADING = '## Organization API tokens';

let t: TestGatehouse;
beforeAll(async () => {
  // The example imports the built SDK, as a user's code would.
  if (!existsSync(`${root}packages/sdk/dist/index.js`)) await run('npx', ['tsc', '-b', 'packages/sdk'], { cwd: root });
  t = await startTestGatehouse();
}, 120_000);
afterAll(() => t.close());

/** The ```sh blocks of the section under `heading`, up to the next `## ` heading. */
function shBlocks(heading: string): string {
  const text = readFileSync(`${root}README.md`, 'utf8');
  const start = text.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README.md has no ${heading} section`);
  const end = text.indexOf('\n## ', start + heading.length + 2);
  const section = text.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]).join('\n');
}

/** Run README shell text, pointed at the test server, in a directory of its own. */
async function shell(script: string): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-readme-'));
  symlinkSync(`${root}examples`, join(dir, 'examples'));
  try {
    // The one edit: the placeholder key becomes the test server's (a reader pastes theirs).
    const text = script.replaceAll('http://localhost:8787', t.url).replace('GH_KEY=sk_live_paste_yours_here', `GH_KEY=${t.secretKey}`);
    const { stdout } = await run('bash', ['-c', `set -euo pipefail\n${text}`], { cwd: dir, env: process.env });
    return stdout.trim().split('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the README', () => {
  it('calls the frontend API with an org token, verifies it and revokes it, exactly as written', async () => {
    const lines = await shell(shBlocks(HEADING));
    expect(lines).toHaveLength(7);
    const [organization, members, rename, mine, foreign, verified, afterRevoke] = lines as [string, ...string[]];
    expect(organization).toMatch(/^organization org_\w+ Globex$/);
    expect(members).toMatch(/^members ops-\d+@example\.com:owner$/);
    expect(rename).toBe('rename 403 forbidden');
    expect(mine).toBe('list my organizations 403 forbidden');
    expect(foreign).toBe('another organization 404 not_found');
    expect(JSON.parse(verified!)).toEqual({
      valid: true,
      organizationId: organization.split(' ')[1],
      tokenId: expect.stringMatching(/^tok_/),
      env: 'live',
      permissions: ['members:view', 'org:view'],
    });
    expect(JSON.parse(afterRevoke!)).toMatchObject({ status: 401, data: null, errors: [{ code: 'unauthenticated' }] });
  });
});
