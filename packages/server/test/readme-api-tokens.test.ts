import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGatehouse, type TestGatehouse } from './harness.js';
import { readmeBlocks, root, run, runReadmeShell } from './readme-shell.js';

const HEADING = '## Organization API tokens';

let t: TestGatehouse;
beforeAll(async () => {
  // The example imports the built SDK, as a user's code would.
  if (!existsSync(`${root}packages/sdk/dist/index.js`)) await run('npx', ['tsc', '-b', 'packages/sdk'], { cwd: root });
  t = await startTestGatehouse();
}, 120_000);
afterAll(() => t.close());

const shBlocks = (heading: string) => readmeBlocks('sh', heading);
const shell = (script: string) => runReadmeShell(t, script);

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
