import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { MAX_JSON_DEPTH } from '../src/http/bind.js';
import { startTestGatehouse, type TestGatehouse } from './harness.js';

let t: TestGatehouse;
beforeAll(async () => {
  t = await startTestGatehouse();
});
afterAll(() => t.close());

const json = { 'content-type': 'application/json' };
const auth = () => ({ authorization: `Bearer ${t.secretKey}` });

/** A raw backend call; `body` is sent as is when a string. */
async function backend(method: string, path: string, body?: unknown) {
  const response = await fetch(`${t.url}/backend/v1${path}`, {
    method,
    headers: body === undefined ? auth() : { ...json, ...auth() },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: response.status, body: await response.json() };
}

/** A raw frontend call, anonymous. */
async function frontend(name: string, body: string) {
  const response = await fetch(`${t.url}/v1/${name}`, { method: 'POST', headers: json, body });
  return { status: response.status, body: await response.json() };
}

/** A 400 `invalid_request` whose details name `path`. */
const invalidAt = (path: string) => ({
  errors: [{ code: 'invalid_request', message: expect.any(String), details: [expect.objectContaining({ path })] }],
});

/** `levels` arrays nested in one another: `nested(1)` is `[]`. */
function nested(levels: number): string {
  return `${'['.repeat(levels)}${']'.repeat(levels)}`;
}

describe('NUL characters', () => {
  it('in a path id answer 404, like any unknown id', async () => {
    const user = await t.backend.users.create({ email: t.email() });
    for (const path of ['/users/usr_%00', `/users/${user.id}%00`, `/users/${user.id}/emails/eml_%00/make-primary`, '/keys/%00']) {
      const method = path.endsWith('make-primary') ? 'POST' : 'GET';
      const response = await backend(method, path);
      expect(response.status, path).toBe(404);
      expect(response.body).toEqual({ errors: [{ code: 'not_found', message: expect.any(String) }] });
    }
  });

  it('in a query string answer 400 naming the parameter', async () => {
    for (const [query, path] of [
      ['search=%00', 'query.search'],
      ['email=a%00%40example.com', 'query.email'],
      ['cursor=%00', 'query.cursor'],
      ['search=ok&search=%00', 'query.search'],
      ['%00=1', 'query'],
    ]) {
      const response = await backend('GET', `/users?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.body, query).toEqual(invalidAt(path as string));
    }
  });

  it('anywhere in a JSON body answer 400 naming the field, and nothing is written', async () => {
    const email = t.email();
    for (const [metadata, path] of [
      ['{"a":"\\u0000"}', 'body.publicMetadata.a'],
      ['{"\\u0000":1}', 'body.publicMetadata'],
      ['{"a":[{"b":"x\\u0000y"}]}', 'body.publicMetadata.a.0.b'],
    ]) {
      const response = await backend('POST', '/users', `{"email":"${email}","publicMetadata":${metadata}}`);
      expect(response.status, metadata).toBe(400);
      expect(response.body, metadata).toEqual(invalidAt(path as string));
    }
    expect((await t.backend.users.list({ email })).data).toEqual([]);
    const user = await t.backend.users.create({ email });
    const update = await backend('PATCH', `/users/${user.id}`, '{"privateMetadata":{"k":{"\\u0000x":"v"}}}');
    expect(update.body).toEqual(invalidAt('body.privateMetadata.k'));
  });

  it('in a frontend body answer 400 in the envelope before the password is checked', async () => {
    const response = await frontend('auth/sign-in', `{"email":"${t.email()}","password":"long enough\\u0000"}`);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      status: 400,
      data: null,
      errors: [{ code: 'invalid_request', details: [{ path: 'body.password' }] }],
    });
  });

  it('that reach the database anyway answer 400, not 500', async () => {
    // The binding layer stops NUL in requests; this is the mapper's backstop for text and jsonb.
    const app = createApp(t.gatehouse.deps);
    app.get('/backend/v1/test/nul-text', async (c) => c.json(await sql`select ${'a\u0000b'}::text as v`.execute(t.gatehouse.deps.db)));
    app.get('/backend/v1/test/nul-jsonb', async (c) =>
      c.json(await sql`select ${'{"a":"\\u0000"}'}::jsonb as v`.execute(t.gatehouse.deps.db)),
    );
    for (const path of ['/backend/v1/test/nul-text', '/backend/v1/test/nul-jsonb']) {
      const response = await app.request(path, { headers: auth() });
      expect(response.status, path).toBe(400);
      expect(await response.json()).toEqual({ errors: [{ code: 'invalid_request', message: expect.any(String) }] });
    }
  });
});

describe('lone UTF-16 surrogates', () => {
  it('in names, metadata values and keys, and queries answer 400 naming the field, not 500', async () => {
    const email = t.email();
    for (const [body, path] of [
      [`{"email":"${email}","firstName":"a\\ud800"}`, 'body.firstName'],
      [`{"email":"${email}","publicMetadata":{"a":"\\udc00"}}`, 'body.publicMetadata.a'],
      [`{"email":"${email}","publicMetadata":{"\\ud800":1}}`, 'body.publicMetadata'],
    ]) {
      const response = await backend('POST', '/users', body);
      expect(response.status, body).toBe(400);
      expect(response.body, body).toEqual(invalidAt(path as string));
    }
    expect((await t.backend.users.list({ email })).data).toEqual([]);
    const user = await t.backend.users.create({ email });
    const org = await backend('POST', '/organizations', `{"name":"x\\ud800","createdBy":"${user.id}"}`);
    expect(org.status).toBe(400);
    const search = await backend('GET', '/users?search=%ED%A0%80');
    expect(search.status).not.toBe(500);
    // A well-formed pair is fine.
    const ok = await backend('PATCH', `/users/${user.id}`, '{"firstName":"\\ud83d\\ude00"}');
    expect(ok.status).toBe(200);
  });
});

describe('JSON nesting', () => {
  it(`is accepted up to ${MAX_JSON_DEPTH} levels and refused with 400 beyond, however deep`, async () => {
    // The body is level 1 and publicMetadata level 2, so `a` holds MAX_JSON_DEPTH - 2 levels.
    const body = (levels: number) => `{"email":"${t.email()}","publicMetadata":{"a":${nested(levels)}}}`;
    const deepest = await backend('POST', '/users', body(MAX_JSON_DEPTH - 2));
    expect(deepest.status).toBe(200);
    const tooDeep = await backend('POST', '/users', body(MAX_JSON_DEPTH - 1));
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.body).toEqual(invalidAt(`body.publicMetadata.a${'.0'.repeat(MAX_JSON_DEPTH - 2)}`));
    const hostile = await backend('POST', '/users', body(20_000));
    expect(hostile.status).toBe(400);
    expect(hostile.body).toEqual(invalidAt(`body.publicMetadata.a${'.0'.repeat(MAX_JSON_DEPTH - 2)}`));
  });

  it('is bounded in frontend bodies too', async () => {
    const response = await frontend('auth/sign-in', `{"email":"${t.email()}","password":${nested(20_000)}}`);
    expect(response.status).toBe(400);
    // `too_big` from the depth check, not the schema's `invalid_type`: the walk stopped it first.
    expect(response.body).toMatchObject({ status: 400, errors: [{ code: 'invalid_request', details: [{ code: 'too_big' }] }] });
  });
});

describe('operations without a query or body schema', () => {
  it('refuse any query parameter with 400', async () => {
    const user = await t.backend.users.create({ email: t.email() });
    for (const path of ['/keys?foo=1', `/users/${user.id}/emails?x=2`, `/users/${user.id}?expand=all`, `/users/${user.id}/phones?flag`]) {
      const response = await backend('GET', path);
      expect(response.status, path).toBe(400);
      expect(response.body, path).toEqual(invalidAt('query'));
    }
    expect((await backend('GET', `/users/${user.id}/emails?`)).status).toBe(200);
  });

  it('refuse a non-empty body with 400, and accept none or {}', async () => {
    const user = await t.backend.users.create({ email: t.email() });
    const second = await t.backend.users.emails.create(user.id, { email: t.email() });
    const makePrimary = `/users/${user.id}/emails/${second.id}/make-primary`;
    for (const body of ['{"evil":1}', '[]', 'null', '"x"', '{"primary":false}']) {
      const response = await backend('POST', makePrimary, body);
      expect(response.status, body).toBe(400);
      expect(response.body, body).toEqual(invalidAt('body'));
    }
    expect((await t.backend.users.get(user.id)).email).toBe(user.email);
    expect((await backend('DELETE', `/users/${user.id}/emails/${second.id}`, '{"force":true}')).status).toBe(400);
    expect(await backend('POST', makePrimary, '{}')).toMatchObject({ status: 200, body: { id: second.id, primary: true } });
    expect(await backend('POST', makePrimary, ' ')).toMatchObject({ status: 200, body: { id: second.id, primary: true } });
    expect(await backend('POST', makePrimary)).toMatchObject({ status: 200, body: { id: second.id, primary: true } });
  });

  it('apply to the frontend API, which takes no query parameters', async () => {
    const response = await fetch(`${t.url}/v1/session/get?x=1`, { method: 'POST', headers: json, body: '{}' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ status: 400, errors: [{ code: 'invalid_request', details: [{ path: 'query' }] }] });
    const plain = await fetch(`${t.url}/v1/session/get`, { method: 'POST', headers: json, body: '{}' });
    expect(plain.status).toBe(200);
  });
});
