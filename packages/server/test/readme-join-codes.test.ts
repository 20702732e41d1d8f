import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGatehouse, type TestGatehouse } from './harness.js';
import { readmeBlocks, runReadmeShell } from './readme-shell.js';

let t: TestGatehouse;
beforeAll(async () => {
  t = await startTestGatehouse();
});
afterAll(() => t.close());

const section = (heading: string) => readmeBlocks('sh', heading);
const shell = (script: string) => runReadmeShell(t, script);

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
