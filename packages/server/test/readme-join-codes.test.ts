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

/** The ```sh blocks of one README section: from its heading to the next `## ` heading. */
function section(heading: string): string {
  const text = readFileSync(`${root}README.md`, 'utf8');
  const start = text.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README has no ${heading}`);
  const end = text.indexOf('\n## ', start + heading.length + 1);
  const body = text.slice(start, end < 0 ? undefined : end);
  return [...body.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]).join('\n');
}

/** Run README shell text against the test server, given only GH_KEY (as the section says), in a directory of its own. */
async function shell(script: string): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-readme-'));
  try {
    const text = `GH_KEY=${t.secretKey}\n${script.replaceAll('http://localhost:8787', t.url)}`;
    const { stdout } = await run('bash', ['-c', `set -euo pipefail\n${text}`], { cwd: dir });
    return stdout.trim().split('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the README', () => {
  it('shows a join code for 5 people that a 6th cannot use, exactly as written', async () => {
    const script = section('## Join codes with curl');
    expect(script).not.toContain('```');
    const [code, ...rest] = await shell(script);
    expect(code).toMatch(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){5}$/);
    const answers = rest.map((line) => JSON.parse(line));
    expect(answers).toHaveLength(7);
    const joins = answers.slice(0, 6);
    for (const ok of joins.slice(0, 5)) {
      expect(ok).toMatchObject({ status: 200, data: { role: 'member', roleId: 'role_member', alreadyMember: false }, errors: null });
    }
    expect(joins[5]).toMatchObject({ status: 410, data: null, errors: [{ code: 'join_code_invalid' }] });
    const orgId = joins[0].data.organizationId;
    expect(answers[6].data).toEqual([expect.objectContaining({ organizationId: orgId, maxUses: 5, uses: 5, status: 'exhausted' })]);
    expect((await t.backend.organizations.get(orgId)).membersCount).toBe(5);
  });
});
