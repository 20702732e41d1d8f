import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGatehouse, type TestGatehouse } from './harness.js';
import { parsedLines, readmeBlocks, runReadmeShell } from './readme-shell.js';

let t: TestGatehouse;
beforeAll(async () => {
  t = await startTestGatehouse();
});
afterAll(() => t.close());

describe('the README', () => {
  it('walks through second factors with curl, exactly as written', async () => {
    const out = parsedLines(await runReadmeShell(t, readmeBlocks('sh', '## Second factors with curl'))) as Record<string, unknown>[];
    expect(out).toHaveLength(6);
    const [authenticator, me, backup, deleted, verified, passkeys] = out;
    expect(authenticator).toMatchObject({ id: expect.stringMatching(/^mfa_/), otpUrl: expect.stringContaining('secret=JBSWY3DPEHPK3PXP') });
    expect(me).toMatchObject({ status: 200, data: { user: { email: 'mei@example.com', totpEnabled: true, backupCodesRemaining: 10 } } });
    expect(backup).toMatchObject({ status: 200, data: { status: 'complete', user: { backupCodesRemaining: 9 } } });
    expect(deleted).toEqual({ deleted: true });
    expect(verified).toMatchObject({ status: 200, data: { user: { totpEnabled: true } } });
    expect(passkeys).toMatchObject({ data: [], hasMore: false });
  });
});
