import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createBackendClient, createClient } from '@gatehouse/sdk';
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PASSWORD, failure } from './auth-helpers.js';
import { buildServer, root } from './build-server.js';
import { createTestSchema, freePort } from './harness.js';
import { postgresUrl } from './services.js';
import { startTestSmtp, type TestSmtp } from './smtp.js';
import { findRedisServer, startThrowawayRedis, type ThrowawayRedis } from './throwaway-services.js';

/**
 * Two real Gatehouse processes (the built CLI, `gatehouse start`, each on its own port) on one
 * PostgreSQL schema and one Redis behave as one instance: rate limits, session revocation, signing
 * keys and the email outbox. The Redis is a throwaway one of this file's own: rate-limit keys have no
 * configurable prefix, so on a shared Redis other suites' sign-ins from 127.0.0.1 would count here.
 */

const SLOW = 120_000;
const cli = join(root, 'packages/server/dist/cli.js');
const PUBLIC_URL = 'http://localhost:8787';

// The processes run compiled, as `npm start` runs them: build first (incremental, fast when up to
// date), so the suite never runs a stale dist, as cli.test.ts does.
beforeAll(buildServer, SLOW);

interface Process {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** `gatehouse start` with `env`, resolved once it prints the URL it listens on. */
function startProcess(env: Record<string, string>): Promise<Process> {
  const child = spawn(process.execPath, [cli, 'start'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1] && output.includes('reference')) resolve({ child, url: match[1], output: () => output });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`gatehouse exited with ${code}:\n${output}`)));
  });
}

async function stopProcess(p: Process | undefined): Promise<void> {
  if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
  const exited = new Promise<number | null>((resolve) => p.child.once('exit', (code) => resolve(code)));
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), 10_000);
  const code = await exited;
  clearTimeout(timer);
  expect(code, p.output()).toBe(0);
}

/** Retry `check` until it returns true or `ms` pass; false then. */
async function eventually(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(200);
  }
  return check();
}

const pg = await postgresUrl();
const redisBinary = findRedisServer();

describe.skipIf(!pg || !redisBinary)('two Gatehouse processes on one PostgreSQL and one Redis', () => {
  const secretKey = `sk_test_${randomBytes(24).toString('hex')}`;
  const run = randomBytes(3).toString('hex');
  let counter = 0;
  const email = (prefix: string) => `${prefix}-${run}-${++counter}@example.com`;
  let drop: (() => Promise<void>) | undefined;
  let redis: ThrowawayRedis | undefined;
  let smtp: TestSmtp | undefined;
  let a: Process | undefined;
  let b: Process | undefined;
  const backend = (p: Process | undefined) => createBackendClient({ baseUrl: (p as Process).url, secretKey });
  const client = (p: Process | undefined, sessionToken?: string) =>
    createClient({ baseUrl: (p as Process).url, tokenTransport: 'header', ...(sessionToken ? { sessionToken } : {}) });

  beforeAll(async () => {
    const schema = await createTestSchema(pg as string);
    drop = schema.drop;
    const databaseUrl = new URL(pg as string);
    databaseUrl.searchParams.set('options', `-c search_path=${schema.schema}`);
    redis = await startThrowawayRedis(redisBinary as string);
    smtp = await startTestSmtp();
    const env = {
      DATABASE_URL: databaseUrl.toString(),
      REDIS_URL: redis.url,
      SMTP_URL: smtp.url,
      GATEHOUSE_SECRET_KEY: secretKey,
      GATEHOUSE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      GATEHOUSE_DATA_DIR: '',
      PUBLIC_URL,
      LOG_LEVEL: 'warn',
      // Four failed sign-ins per account, to see the fifth refused; sign-ups unlimited per IP (all come from loopback).
      RATE_LIMITS: 'signInAccount=4/900,signUpIp=100000/3600',
    };
    // As in a deployment: migrate once, then start every process (none migrates behind another's back).
    execFileSync(process.execPath, [cli, 'migrate'], { env: { ...process.env, ...env }, stdio: 'pipe' });
    [a, b] = await Promise.all([
      startProcess({ ...env, PORT: String(await freePort()) }),
      startProcess({ ...env, PORT: String(await freePort()) }),
    ]);
    expect(a.output()).toContain('(PostgreSQL)');
    expect(a.url).not.toBe(b.url);
  }, SLOW);

  afterAll(async () => {
    await Promise.all([stopProcess(a), stopProcess(b)]).finally(async () => {
      await smtp?.close();
      await redis?.kill();
      await drop?.();
    });
  }, SLOW);

  it('answers its health check and sees the same users from either process', async () => {
    for (const p of [a, b]) expect((await fetch(`${p?.url}/healthz`)).status).toBe(200);
    const to = email('shared');
    const created = await backend(a).users.create({ email: to, password: DEFAULT_PASSWORD });
    expect((await backend(b).users.get(created.id)).id).toBe(created.id);
  });

  it('counts rate limits across both processes (Redis): failures on A and on B add up', { timeout: SLOW }, async () => {
    const to = email('brute');
    await backend(a).users.create({ email: to, password: DEFAULT_PASSWORD });
    // Two wrong passwords on each process: four in all, the limit, though neither process saw more than two.
    for (const p of [a, b, a, b]) {
      expect(await failure(client(p).auth.signIn({ email: to, password: 'a wrong guess here' }))).toMatchObject({ status: 401 });
    }
    for (const p of [a, b]) {
      const refused = await failure(client(p).auth.signIn({ email: to, password: DEFAULT_PASSWORD }));
      expect(refused).toMatchObject({ code: 'rate_limited', status: 429 });
      expect(refused.retryAfter).toBeGreaterThan(0);
    }
    // Another account is not affected.
    const other = email('innocent');
    await backend(b).users.create({ email: other, password: DEFAULT_PASSWORD });
    expect((await client(a).auth.signIn({ email: other, password: DEFAULT_PASSWORD })).status).toBe('complete');
  });

  it('refuses on B a session revoked through A, as an opaque token and as a JWT', { timeout: SLOW }, async () => {
    const to = email('revoked');
    const user = await backend(a).users.create({ email: to, password: DEFAULT_PASSWORD });
    const onB = client(b);
    expect((await onB.auth.signIn({ email: to, password: DEFAULT_PASSWORD })).status).toBe('complete');
    const token = onB.sessionToken as string;
    const sessionId = token.split('.')[0] as string;
    // The session works on both, and A mints a JWT for it that B verifies.
    expect((await client(a, token).me.get()).user.id).toBe(user.id);
    const { token: jwt } = await client(a, token).session.token();
    expect(await backend(b).sessions.verify(jwt)).toMatchObject({ valid: true, userId: user.id, sessionId });
    expect(await backend(b).sessions.verify(token)).toMatchObject({ valid: true, userId: user.id, sessionId });

    expect(await backend(a).users.sessions.revoke(user.id, sessionId)).toMatchObject({ id: sessionId, status: 'revoked' });

    // B refuses it at once: on its frontend API, and to a backend asking about the opaque token or the JWT.
    expect(await failure(client(b, token).me.get())).toMatchObject({ code: 'unauthenticated', status: 401 });
    expect(await failure(client(b, token).session.token())).toMatchObject({ code: 'unauthenticated', status: 401 });
    expect(await backend(b).sessions.verify(token)).toEqual({ valid: false, userId: null, sessionId: null, claims: null });
    expect(await backend(b).sessions.verify(jwt)).toEqual({ valid: false, userId: null, sessionId: null, claims: null });
    expect(await failure(client(a, token).me.get())).toMatchObject({ code: 'unauthenticated', status: 401 });
  });

  it('honours on B a signing key rotated on A: B verifies, publishes and then signs with the new key', { timeout: SLOW }, async () => {
    const to = email('rotation');
    const user = await backend(a).users.create({ email: to, password: DEFAULT_PASSWORD });
    const session = client(a);
    await session.auth.signIn({ email: to, password: DEFAULT_PASSWORD });
    const token = session.sessionToken as string;
    const before = (await client(b, token).session.token()).token;
    const oldKid = decodeProtectedHeader(before).kid;

    const { active, retired } = await backend(a).signingKeys.rotate();
    expect(retired?.id).toBe(oldKid);
    expect(active.id).not.toBe(oldKid);

    // A signs with the new key at once; B has never seen that kid and re-reads the keys to verify it.
    const after = (await client(a, token).session.token()).token;
    expect(decodeProtectedHeader(after).kid).toBe(active.id);
    expect(await backend(b).sessions.verify(after)).toMatchObject({ valid: true, userId: user.id });
    // The token B signed before the rotation stays valid on both (the retired key is still published).
    expect(await backend(a).sessions.verify(before)).toMatchObject({ valid: true, userId: user.id });
    expect(await backend(b).sessions.verify(before)).toMatchObject({ valid: true, userId: user.id });

    // Within seconds (its key cache lasts 5 s), B publishes the new key and signs with it.
    const jwksOfB = async () =>
      ((await (await fetch(`${b?.url}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
    expect(await eventually(async () => (await jwksOfB()).includes(active.id), 10_000)).toBe(true);
    expect(await jwksOfB()).toContain(oldKid);
    expect(
      await eventually(async () => decodeProtectedHeader((await client(b, token).session.token()).token).kid === active.id, 10_000),
    ).toBe(true);
  });

  it('delivers each email of the shared outbox exactly once while both workers run', { timeout: SLOW }, async () => {
    const tos = Array.from({ length: 30 }, () => email('outbox'));
    // Sign-ups on both processes, all at once: each queues a verification email in the one outbox.
    await Promise.all(tos.map((to, i) => client(i % 2 === 0 ? a : b).auth.signUp({ email: to, password: DEFAULT_PASSWORD })));
    const mail = smtp as TestSmtp;
    await Promise.all(tos.map((to) => mail.waitForMessage(to, 30_000)));
    // Several polls of both workers later, nothing was sent twice.
    await sleep(2000);
    const delivered = mail.messages.filter((m) => tos.includes(m.to)).map((m) => m.to);
    expect(delivered.sort()).toEqual([...tos].sort());
    for (const to of tos) {
      const rows = (await backend(b).outbox.list({ to })).data;
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ status: 'sent', attempts: 1 });
    }
  });
});
