import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import type { AppEnv } from './context.js';
import { ApiError } from './errors.js';

/** Largest request body accepted. */
export const MAX_BODY_BYTES = 64 * 1024;

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

/** Read a Node request stream, 413 as soon as it passes the limit (the rest is left for Node to discard). */
function readIncoming(incoming: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (error?: Error) => {
      incoming.off('data', onData).off('end', onEnd).off('error', stop);
      if (error) reject(error);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) return stop(new ApiError('payload_too_large'));
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks, size).toString('utf8'));
    };
    incoming.on('data', onData).on('end', onEnd).on('error', stop);
  });
}

/**
 * The request body as text, at most 64 KiB. On Node it is read straight from the socket's stream,
 * not through a web `Request` (which @hono/node-server builds only when asked for, at a cost the
 * hot path notices); the same in-process `app.request()` path reads it through Hono.
 */
export async function readBodyText(c: Context<AppEnv>): Promise<string> {
  refuseDeclaredOversize(c);
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming) return readIncoming(incoming);
  const text = await c.req.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new ApiError('payload_too_large');
  return text;
}
