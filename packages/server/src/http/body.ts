import type { Context } from 'hono';
import type { AppEnv } from './context.js';
import { ApiError } from './errors.js';

/** Largest request body accepted. */
const MAX_BODY_BYTES = 64 * 1024;

/** The bytes a request says it carries, when it says so. */
function declaredLength(c: Context<AppEnv>): number | undefined {
  const header = c.req.header('content-length');
  return header === undefined ? undefined : Number(header);
}

/** 413 for a body declared over the limit, before anything is read or routed. */
export function refuseDeclaredOversize(c: Context<AppEnv>): void {
  const declared = declaredLength(c);
  if (declared !== undefined && declared > MAX_BODY_BYTES) throw new ApiError('payload_too_large');
}

/** A body that does not declare its length (chunked): counted as it streams, and cut off past the limit. */
async function readUndeclared(c: Context<AppEnv>): Promise<string> {
  const body = c.req.raw.body;
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw new ApiError('payload_too_large');
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks, size));
}

/**
 * The request body as text, at most 64 KiB. With a Content-Length (every browser and SDK request)
 * Hono reads the body: the `limitBody` middleware already refused a declared length over the limit,
 * and Node's parser stops a body at its declared length. @hono/node-server reads it straight from
 * the socket, without the web `Request` and stream that it builds only when `c.req.raw.body` is
 * asked for (hono's `bodyLimit` asks on every request, which cost the hot path a tenth of its CPU).
 */
export async function readBodyText(c: Context<AppEnv>): Promise<string> {
  return declaredLength(c) === undefined ? readUndeclared(c) : c.req.text();
}
