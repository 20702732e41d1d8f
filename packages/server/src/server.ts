import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Gatehouse } from './gatehouse.js';

export interface RunningServer {
  /** The base URL it listens on, e.g. `http://127.0.0.1:8787`. */
  url: string;
  port: number;
  /** Stop accepting connections, finish open requests, then close the database. */
  close(): Promise<void>;
}

/** Where a client on this machine reaches a server listening on `host`: the wildcards mean loopback. */
function reachableHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/** Listen on `host:port` (port 0 picks a free one). */
export async function startServer(gatehouse: Gatehouse, options: { port: number; host: string }): Promise<RunningServer> {
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: gatehouse.app.fetch, port: options.port, hostname: options.host }, () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${reachableHost(options.host)}:${port}`,
    port,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          // Idle keep-alive sockets would hold close() open; requests in flight still finish.
          if ('closeIdleConnections' in server) server.closeIdleConnections();
        });
        await gatehouse.close();
      })();
      return closing;
    },
  };
}
