import net from 'node:net';

/**
 * Suites that need a real service run when it is reachable, are skipped with the reason
 * otherwise, and fail instead of skipping when CI=true, so CI always runs them.
 */
export const onCi = process.env.CI === 'true' || process.env.CI === '1';

const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

async function service(name: string, url: string): Promise<string | undefined> {
  if (await reachable(url)) return url;
  const reason = `${name} is not reachable at ${url}`;
  if (onCi) throw new Error(`${reason}, and CI=true requires it.`);
  console.warn(`[skipped] suites that need ${name}: ${reason}`);
  return undefined;
}

/** PostgreSQL for suites that need it whatever the main engine is (concurrency): DATABASE_URL or the local default. */
export function postgresUrl(): Promise<string | undefined> {
  return service('PostgreSQL', process.env.DATABASE_URL || process.env.TEST_POSTGRES_URL || DEFAULT_POSTGRES_URL);
}

/** Redis: REDIS_URL or the local default. */
export function redisUrl(): Promise<string | undefined> {
  return service('Redis', process.env.REDIS_URL || DEFAULT_REDIS_URL);
}
