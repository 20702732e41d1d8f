import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
  t = await startTestGatehouse();
});
afterAll(() => t.close());

/** The `sh` blocks of the README from a heading to the next `## ` heading. */
function section(heading: string): string {
  const text = readFileSync(`${root}README.md`, 'utf8');
  const start = text.indexOf(`${heading}\n`);
  const end = text.indexOf('\n## ', start + heading.length);
  const body = text.slice(start, end === -1 ? undefined : end);
  return [...body.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]).join('\n');
}

/** Run README shell text against the test server, in a directory of its own. */
async function shell(script: string): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-readme-inv-'));
  try {
    // The one edit: the placeholder key becomes the test server's (a reader pastes theirs).
    const text = script.replaceAll('http://localhost:8787', t.url).replace('GH_KEY=sk_live_paste_yours_here', `GH_KEY=${t.secretKey}`);
    const { stdout } = await run('bash', ['-c', `set -euo pipefail\n${text}`], { cwd: dir });
    return stdout.trim().split('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the README', () => {
  it('invites into a workspace and accepts from the emailed link after verifying the address, exactly as written', async () => {
    const text = section('## Invitations with curl');
    expect(text).not.toMatch(/```js/);
    const out = (await shell(text)).map((line) => JSON.parse(line));
    expect(out).toHaveLength(6);
    const [listed, inspected, accepted, members, history, again] = out;
    expect(listed.data).toEqual([
      expect.objectContaining({ email: 'mei@example.com', status: 'pending', role: 'member', workspaceRole: 'admin' }),
    ]);
    expect(inspected.data.invitation).toMatchObject({ organization: { name: 'Invite Co' }, email: 'mei@example.com', status: 'pending' });
    expect(accepted).toMatchObject({ status: 200, data: { role: 'member', workspaceRole: 'admin', alreadyMember: false } });
    expect(members.data).toEqual([expect.objectContaining({ role: 'admin', user: expect.objectContaining({ email: 'mei@example.com' }) })]);
    expect(history.data).toEqual([expect.objectContaining({ status: 'accepted', acceptedBy: members.data[0].userId })]);
    expect(again).toMatchObject({ status: 200, data: { alreadyMember: true } });
  });
});
