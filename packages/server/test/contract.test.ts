import { backendOperations, type buildOpenApiDocument, errorCodes, errorStatus, frontendOperations } from '@gatehouse/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGatehouse, type TestGatehouse } from './harness.js';

let t: TestGatehouse;
beforeAll(async () => {
  t = await startTestGatehouse();
});
afterAll(() => t.close());

/** `METHOD /path/{param}` for every route the app serves (middleware excluded). */
function servedRoutes(): Set<string> {
  return new Set(t.gatehouse.app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`));
}

function documentedRoutes(doc: ReturnType<typeof buildOpenApiDocument>): Set<string> {
  const out = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths)) for (const method of Object.keys(item)) out.add(`${method.toUpperCase()} ${path}`);
  return out;
}

describe('the contract', () => {
  it('documents every served route, and serves every documented one', async () => {
    const response = await fetch(`${t.url}/openapi.json`);
    const doc = (await response.json()) as ReturnType<typeof buildOpenApiDocument>;
    expect(doc.openapi).toBe('3.1.0');
    const served = servedRoutes();
    const documented = documentedRoutes(doc);
    expect(
      [...served].filter((r) => !documented.has(r)),
      'served but missing from /openapi.json',
    ).toEqual([]);
    expect(
      [...documented].filter((r) => !served.has(r)),
      'documented but not served',
    ).toEqual([]);
  });

  it('names every operation once, and gives every error code one status', () => {
    const names = [...backendOperations, ...frontendOperations].map((op) => `${op.api}:${op.name}`);
    expect(new Set(names).size).toBe(names.length);
    for (const code of errorCodes) expect(errorStatus[code]).toBeGreaterThanOrEqual(400);
  });

  it('serves a readable reference page at /docs', async () => {
    const response = await fetch(`${t.url}/docs`);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const html = await response.text();
    expect(html).toContain('Gatehouse API');
    expect(html).toContain('/backend/v1/users/{userId}');
    // A nullable field reads as its type or null, never as a bare "object".
    expect(html).toMatch(/<code>string \| null<\/code>/);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('points a browser at / to the docs', async () => {
    const response = await fetch(`${t.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await response.text()).toContain('href="/docs"');
  });

  it('sends security headers on every response, and no-store on API answers', async () => {
    for (const path of ['/healthz', '/backend/v1/users', '/v1/session/get', '/docs', '/nope']) {
      const response = await fetch(`${t.url}${path}`, { method: path === '/v1/session/get' ? 'POST' : 'GET' });
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(response.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(response.headers.get('cache-control'), path).toBe('no-store');
    }
    const jwks = await fetch(`${t.url}/.well-known/jwks.json`);
    expect(jwks.headers.get('cache-control')).toMatch(/^public/);
    expect(jwks.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
