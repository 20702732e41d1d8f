import { randomBytes } from 'node:crypto';
import type * as ops from '@gatehouse/contract';
import pino from 'pino';
import type { z } from 'zod';
import { type Config, ConfigError } from '../config.js';
import { runningServer } from '../db/lock.js';
import { createGatehouse } from '../gatehouse.js';

/**
 * CLI commands are backend API calls: to the running server that holds a PGlite data dir, or to
 * the same app in-process on the database, so both paths validate and answer alike.
 */

/** An error answer of the backend API. */
export class BackendError extends Error {
  override name = 'BackendError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Send = (path: string, init: RequestInit) => Promise<Response> | Response;
type Input<Op extends ops.BackendOperation> = {
  params?: ops.InputOf<Op['params']>;
  query?: ops.InputOf<Op['query']>;
  body?: ops.InputOf<Op['body']>;
};

/** The backend API for one CLI command: the running server's, or an in-process app on the database. */
export interface Backend {
  call<Op extends ops.BackendOperation>(op: Op, input?: Input<Op>): Promise<z.output<Op['output']>>;
  close(): Promise<void>;
}

/** A backend over `send`: the contract gives the route, and checks the answer. `refusedKey` explains a 401. */
function backendOver(send: Send, secretKey: string, close: () => Promise<void>, refusedKey = ''): Backend {
  return {
    async call<Op extends ops.BackendOperation>(op: Op, input: Input<Op> = {}): Promise<z.output<Op['output']>> {
      const params = (input.params ?? {}) as Record<string, string>;
      const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
      const query = new URLSearchParams(Object.entries(input.query ?? {}).map(([k, v]): [string, string] => [k, String(v)]));
      const headers: Record<string, string> = { authorization: `Bearer ${secretKey}`, accept: 'application/json' };
      const init: RequestInit = { method: op.method, headers };
      if (op.body) {
        headers['content-type'] = 'application/json';
        init.body = JSON.stringify(input.body ?? {});
      }
      const response = await send(`/backend/v1${path}${query.size ? `?${query}` : ''}`, init);
      const payload = (await response.json().catch(() => undefined)) as { errors?: { code: string; message: string }[] } | undefined;
      if (!response.ok) {
        const first = payload?.errors?.[0];
        const message = first?.message ?? `Gatehouse answered ${response.status}.`;
        throw new BackendError(first?.code ?? 'internal', first?.code === 'unauthenticated' ? `${message} ${refusedKey}` : message);
      }
      return op.output.parse(payload) as z.output<Op['output']>;
    },
    close,
  };
}

/**
 * PGlite is one process: while a server holds the data dir, commands go through its backend API
 * with an admin key. Otherwise (no server, or PostgreSQL) they run the same API in-process on the
 * database, authorized by a key that lives only in this process.
 */
async function openBackend(config: Config, key: string | undefined, signal: AbortSignal): Promise<Backend> {
  const server = config.databaseUrl ? undefined : runningServer(config.dataDir);
  if (server) {
    const { pid, url } = server;
    if (!url) {
      throw new ConfigError(
        `A Gatehouse process (pid ${pid}) holds ${config.dataDir} and is not serving yet (starting, or running another command). ` +
          'Run this again in a moment.',
      );
    }
    const secretKey = key ?? config.secretKey;
    if (!secretKey) {
      throw new ConfigError(
        `A Gatehouse server (pid ${pid}) holds ${config.dataDir}, so this command goes through its backend API at ${url}, ` +
          'which needs an admin secret key. Set GATEHOUSE_SECRET_KEY=sk_live_… (or pass --key sk_live_…): the key printed at ' +
          'first start, or one made with `gatehouse keys create` while the server is stopped.',
      );
    }
    // The shutdown signal: Ctrl-C ends a request to a server that hangs instead of waiting on it.
    const send: Send = (path, init) =>
      fetch(`${url}${path}`, { ...init, signal }).catch((error: Error) => {
        if (signal.aborted) throw signal.reason;
        throw new ConfigError(`Could not reach the Gatehouse server (pid ${pid}) at ${url}: ${error.message}`);
      });
    const refused = `Set GATEHOUSE_SECRET_KEY (or --key) to a valid admin key of the server at ${url}.`;
    return backendOver(send, secretKey, async () => {}, refused);
  }
  const secretKey = `sk_live_${randomBytes(32).toString('hex')}`;
  const gatehouse = await createGatehouse({
    config: { ...config, secretKey },
    signal,
    backgroundWork: false,
    // PGlite is this process's alone (no server holds it), so it may migrate. A PostgreSQL database
    // is shared with running servers, which a newer CLI must not migrate under: `gatehouse migrate` does.
    migrations: config.databaseUrl ? 'check' : 'apply',
    logger: pino({ level: 'error' }, pino.destination(2)),
  });
  return backendOver(
    (path, init) => gatehouse.app.request(path, init),
    secretKey,
    () => gatehouse.close(),
  );
}

export async function withBackend<T>(config: Config, key: string | undefined, signal: AbortSignal, fn: (backend: Backend) => Promise<T>) {
  const backend = await openBackend(config, key, signal);
  try {
    return await fn(backend);
  } finally {
    await backend.close();
  }
}

/** Follow a backend list's cursors, a page of at most 100 at a time, to its end or to `max` items. */
export async function collect<T>(
  fetchPage: (cursor: string | undefined, limit: number) => Promise<{ data: T[]; nextCursor: string | null }>,
  max = Number.POSITIVE_INFINITY,
): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor, Math.min(100, max - all.length));
    all.push(...page.data);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && all.length < max);
  return all;
}
