import { request } from 'node:http';
import { Writable } from 'node:stream';
import { createBackendClient, GatehouseError } from '@gatehouse/sdk';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { startTestGatehouse, type TestGatehouse } from './harness.js';

let t: TestGatehouse;
beforeAll(async () => {
  t = await startTestGatehouse();
});
afterAll(() => t.close());

const json = { 'content-type': 'application/json' };
const auth = () => ({ authorization: `Bearer ${t.secretKey}` });

describe('the secret key', () => {
  it('is required on every backend route', async () => {
    for (const headers of [
      {} as Record<string, string>,
      { authorization: 'Bearer sk_live_wrong' },
      { authorization: 'Basic abc' },
      { authorization: `Bearer ${t.secretKey}x` },
    ]) {
      const response = await fetch(`${t.url}/backend/v1/users`, { headers });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ errors: [{ code: 'unauthenticated', message: expect.any(String) }] });
    }
  });

  it('can be created, used, listed without its secret, and revoked with immediate effect', async () => {
    const { secretKey, secret } = await t.backend.keys.create({ name: 'ci', env: 'test' });
    expect(secret).toMatch(/^sk_test_[0-9a-z]{52}$/);
    expect(secretKey).toMatchObject({ name: 'ci', env: 'test', lastFour: secret.slice(-4), revokedAt: null });
    const other = createBackendClient({ baseUrl: t.url, secretKey: secret });
    await other.users.list();
    const listed = await t.backend.keys.list();
    expect(JSON.stringify(listed)).not.toContain(secret);
    expect(listed.data.find((k) => k.id === secretKey.id)?.lastUsedAt).not.toBeNull();
    const revoked = await t.backend.keys.revoke(secretKey.id);
    expect(revoked.revokedAt).not.toBeNull();
    expect((await t.backend.keys.revoke(secretKey.id)).revokedAt).toBe(revoked.revokedAt);
    const error = await other.users.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatehouseError);
    expect(error).toMatchObject({ code: 'unauthenticated', status: 401 });
  });
});

describe('requests and errors', () => {
  it('puts a request id on every response, keeping a well-formed incoming one', async () => {
    const generated = await fetch(`${t.url}/healthz`);
    expect(generated.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{24}$/);
    const kept = await fetch(`${t.url}/healthz`, { headers: { 'x-request-id': 'trace-123' } });
    expect(kept.headers.get('x-request-id')).toBe('trace-123');
    const replaced = await fetch(`${t.url}/healthz`, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^req_/);
    const failed = await t.backend.users.get('usr_missing').catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(GatehouseError);
    expect((failed as GatehouseError).requestId).toMatch(/^req_/);
  });

  it('reports the database in /healthz', async () => {
    const response = await fetch(`${t.url}/healthz`);
    expect(await response.json()).toEqual({ status: 'ok', database: process.env.DATABASE_URL ? 'postgres' : 'pglite' });
  });

  it('answers 413 for a body over 64 KiB, before parsing it', async () => {
    const body = JSON.stringify({ email: 'big@example.com', firstName: 'x'.repeat(70 * 1024) });
    const response = await fetch(`${t.url}/backend/v1/users`, { method: 'POST', headers: { ...json, ...auth() }, body });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ errors: [{ code: 'payload_too_large', message: expect.any(String) }] });
  });

  it('answers 413 for a chunked body that grows past 64 KiB without declaring its length, and 200 under it', async () => {
    /** POST a body in 8 KiB chunks with no Content-Length (Transfer-Encoding: chunked). */
    const chunked = (path: string, headers: Record<string, string>, body: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(`${t.url}${path}`, { method: 'POST', headers }, (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        });
        req.on('error', reject);
        for (let i = 0; i < body.length; i += 8192) req.write(body.slice(i, i + 8192));
        req.end();
      });
    const big = JSON.stringify({ email: 'chunked@example.com', firstName: 'x'.repeat(70 * 1024) });
    const refused = await chunked('/backend/v1/users', { ...json, ...auth() }, big);
    expect(refused.status).toBe(413);
    expect(JSON.parse(refused.body)).toEqual({ errors: [{ code: 'payload_too_large', message: expect.any(String) }] });
    const small = await chunked('/backend/v1/users', { ...json, ...auth() }, JSON.stringify({ email: t.email('chunked') }));
    expect(small.status).toBe(200);
    // The server is fine afterwards.
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  });

  it('answers unknown routes with 404 in the error shape of their API', async () => {
    const backend = await fetch(`${t.url}/backend/v1/nothing-here`, { headers: auth() });
    expect(backend.status).toBe(404);
    expect(await backend.json()).toEqual({ errors: [{ code: 'not_found', message: expect.any(String) }] });
    const frontend = await fetch(`${t.url}/v1/nothing/here`, { method: 'POST', headers: json, body: '{}' });
    expect(frontend.status).toBe(404);
    expect(await frontend.json()).toMatchObject({ status: 404, data: null, session: null, errors: [{ code: 'not_found' }] });
  });

  it('refuses form-encoded and malformed bodies with 400', async () => {
    const form = await fetch(`${t.url}/backend/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...auth() },
      body: 'email=a%40example.com',
    });
    expect(form.status).toBe(400);
    const broken = await fetch(`${t.url}/backend/v1/users`, { method: 'POST', headers: { ...json, ...auth() }, body: '{"email":' });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ errors: [{ code: 'invalid_request' }] });
  });

  it('validates query parameters', async () => {
    for (const query of ['limit=abc', 'limit=0', 'limit=101', 'unknown=1', 'cursor=%00%01']) {
      const response = await fetch(`${t.url}/backend/v1/users?${query}`, { headers: auth() });
      expect(response.status, query).toBe(400);
      expect(await response.json()).toMatchObject({ errors: [{ code: 'invalid_request' }] });
    }
  });

  it('rejects JSON type confusion and SQL metacharacters safely', async () => {
    for (const body of [{ email: ['a@example.com'] }, { email: { $ne: null } }, { email: t.email(), firstName: { x: 1 } }]) {
      const response = await fetch(`${t.url}/backend/v1/users`, {
        method: 'POST',
        headers: { ...json, ...auth() },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(400);
    }
    const search = await fetch(`${t.url}/backend/v1/users?search=${encodeURIComponent("'; drop table users; --%_")}`, { headers: auth() });
    expect(search.status).toBe(200);
    expect((await search.json()).data).toEqual([]);
  });
});

describe('unexpected errors', () => {
  /**
   * The harness's app cannot gain routes once it has answered, so this builds a second app over the
   * same dependencies, with a logger to read, and adds routes that fail the way real code does.
   */
  function appWithFailingRoutes() {
    const logged: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) logged.push(JSON.parse(line));
        done();
      },
    });
    const deps = t.gatehouse.deps;
    const app = createApp({ ...deps, log: pino({ level: 'error' }, sink) });
    const failingQuery = () => sql`select password_hash from no_such_table where id = ${'usr_1'}`.execute(deps.db);
    app.get('/backend/v1/test/failing-query', async (c) => c.json(await failingQuery()));
    app.post('/v1/test/failing-query', async (c) => c.json(await failingQuery()));
    app.get('/backend/v1/test/throws', () => {
      throw new TypeError("Cannot read properties of undefined (reading 'password_hash')");
    });
    return { app, logged };
  }

  it('answer 500 internal with the request id, and no stack, SQL or message of the cause', async () => {
    const { app, logged } = appWithFailingRoutes();
    for (const path of ['/backend/v1/test/failing-query', '/backend/v1/test/throws']) {
      const response = await app.request(path, { headers: { ...auth(), 'x-request-id': 'trace-500' } });
      expect(response.status, path).toBe(500);
      expect(response.headers.get('x-request-id')).toBe('trace-500');
      const text = await response.text();
      expect(JSON.parse(text)).toEqual({ errors: [{ code: 'internal', message: 'Something went wrong on our side.' }] });
      expect(text).not.toMatch(/no_such_table|password_hash|select|\bat\b/i);
    }
    // The cause goes to the log, under the request id, for the operator.
    const errors = logged.filter((line) => line.msg === 'unhandled error');
    expect(errors.map((line) => line.reqId)).toEqual(['trace-500', 'trace-500']);
    expect(JSON.stringify(errors)).toContain('no_such_table');
  });

  it('answer 500 internal in the frontend envelope', async () => {
    const { app } = appWithFailingRoutes();
    const response = await app.request('/v1/test/failing-query', { method: 'POST', headers: json, body: '{}' });
    expect(response.status).toBe(500);
    expect(response.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{24}$/);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      status: 500,
      message: 'Something went wrong on our side.',
      data: null,
      session: null,
      errors: [{ code: 'internal', message: 'Something went wrong on our side.' }],
    });
    expect(text).not.toMatch(/no_such_table|password_hash|select/i);
  });
});
