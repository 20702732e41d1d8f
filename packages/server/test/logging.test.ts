import { Writable } from 'node:stream';
import { Hono } from 'hono';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientIp } from '../src/http/middleware.js';
import { startTestGatehouse, type TestGatehouse } from './harness.js';

const lines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
    done();
  },
});

let t: TestGatehouse;
beforeAll(async () => {
  t = await startTestGatehouse({ logger: pino({ level: 'info' }, sink) });
});
afterAll(() => t.close());

describe('logs', () => {
  it('write one JSON access line per request with its request id, and never the query string', async () => {
    const response = await fetch(`${t.url}/backend/v1/users?search=secret-token-value`, {
      headers: { authorization: `Bearer ${t.secretKey}` },
    });
    const requestId = response.headers.get('x-request-id');
    const line = lines.find((l) => l.reqId === requestId);
    expect(line).toMatchObject({ msg: 'request', method: 'GET', path: '/backend/v1/users', status: 200 });
    expect(JSON.stringify(lines)).not.toContain('secret-token-value');
    expect(JSON.stringify(lines)).not.toContain(t.secretKey);
  });
});

describe('the client ip', () => {
  const app = new Hono();
  app.get('/:hops', (c) => c.text(clientIp(c, Number(c.req.param('hops')))));
  const ask = async (hops: number, xff?: string) => {
    const response = await app.request(`/${hops}`, xff ? { headers: { 'x-forwarded-for': xff } } : {});
    return response.text();
  };

  it('ignores X-Forwarded-For unless TRUST_PROXY says how many hops to trust', async () => {
    expect(await ask(0, '6.6.6.6')).toBe('unknown');
    expect(await ask(1, '6.6.6.6, 10.0.0.1, 203.0.113.9')).toBe('203.0.113.9');
    expect(await ask(2, '6.6.6.6, 198.51.100.7, 203.0.113.9')).toBe('198.51.100.7');
    expect(await ask(5, '198.51.100.7')).toBe('198.51.100.7');
  });
});
