import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startTestGatehouse, type TestGatehouse } from './harness.js';
import { readmeBlocks, root, run, runReadmeShell } from './readme-shell.js';

let t: TestGatehouse;
beforeAll(async () => {
  // The examples import the built SDK, as a user's code would.
  if (!existsSync(`${root}packages/sdk/dist/index.js`)) await run('npx', ['tsc', '-b', 'packages/sdk'], { cwd: root });
  // PUBLIC_URL is the server's own address, as after `npm start`, so JWT issuers match their JWKS URL.
  const port = await freePort();
  t = await startTestGatehouse({ port, env: { PUBLIC_URL: `http://127.0.0.1:${port}` } });
}, 120_000);
afterAll(() => t.close());

const blocks = readmeBlocks;
const shell = (script: string) => runReadmeShell(t, script);

describe('the README', () => {
  it('walks through users, sign-up, sessions, a JWT, organizations and workspaces with curl, exactly as written', async () => {
    const lines = await shell(blocks('sh', '## Try it with curl', '## Second factors with curl'));
    const out = lines.map((line) => (line.startsWith('{') ? JSON.parse(line) : line));
    const [
      created,
      listed,
      duplicate,
      me,
      sessions,
      revoked,
      afterRevoke,
      verified,
      promoted,
      matrix,
      escalation,
      leave,
      audit,
      wsMember,
      claims,
    ] = out;
    expect(out).toHaveLength(15);
    // Users with the secret key
    expect(created).toMatchObject({ email: 'ada@example.com', firstName: 'Ada', hasPassword: true });
    expect(listed.data.map((u: { id: string }) => u.id)).toContain(created.id);
    expect(duplicate).toEqual({ errors: [{ code: 'conflict', message: 'This email address is already in use.' }] });
    // Sign-up, sessions and the JWT
    expect(me).toMatchObject({ status: 200, data: { user: { email: 'lin@example.com', firstName: 'Lin' } } });
    expect(sessions.data.sessions).toHaveLength(2);
    expect(revoked).toMatchObject({ status: 200, data: { revoked: 1 } });
    expect(afterRevoke).toMatchObject({ status: 401, data: null, errors: [{ code: 'unauthenticated' }] });
    expect(verified).toMatch(/^valid: user usr_\w+, session ses_\w+, expires \d{4}-/);
    // Organizations
    expect(promoted).toMatchObject({ userId: created.id, role: 'admin', roleId: 'role_admin' });
    expect(matrix.data.roles.map((r: { key: string }) => r.key)).toEqual(expect.arrayContaining(['owner', 'admin', 'member']));
    expect(escalation).toMatchObject({ status: 403, errors: [{ code: 'forbidden' }] });
    expect(leave).toMatchObject({ status: 409, errors: [{ code: 'last_owner' }] });
    expect(audit.data.map((e: { action: string }) => e.action)).toEqual([
      'authz.denied',
      'member.role_changed',
      'member.added',
      'member.added',
      'organization.created',
    ]);
    // Workspaces
    expect(wsMember).toMatchObject({ userId: created.id, role: 'admin', workspaceId: expect.stringMatching(/^ws_/) });
    expect(claims).toEqual({
      org_id: promoted.organizationId,
      ws_id: wsMember.workspaceId,
      ws_role: 'admin',
      ws_permissions: ['workspace:manage', 'workspace:view'],
    });
  });

  it('runs its SDK example as written', async () => {
    // Beside the examples, so `@gatehouse/sdk` resolves as in a user's project.
    const file = join(root, 'examples', `.readme-sdk-${process.pid}.mjs`);
    writeFileSync(file, blocks('js', '## Use the SDK', '## Configuration').replaceAll('http://localhost:8787', t.url));
    try {
      const { stdout } = await run(process.execPath, [file], { env: { ...process.env, GATEHOUSE_SECRET_KEY: t.secretKey } });
      expect(stdout).toContain('grace@example.com');
      expect(stdout).toMatch(/404 not_found req_/);
      expect(stdout).toMatch(/usr_\w+ org_\w+ owner/);
    } finally {
      rmSync(file, { force: true });
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
