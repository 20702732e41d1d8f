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
