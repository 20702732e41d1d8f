import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_PASSWORD, rawPost } from './auth-helpers.js';
import { startTestGatehouse, type TestGatehouse } from './harness.js';
import { findRedisServer, startThrowawayRedis, type ThrowawayRedis } from './throwaway-services.js';

/**
 * Redis (REDIS_URL, the rate limits' store) going away under a running server. Before, sign-in
 * answered 500 or hung for seconds; now each limit counts in the process's memory until Redis is
 * back, so sign-in answers at once and stays limited. Each run starts its own redis-server.
 */
const binary = findRedisServer();
const LIMIT = 3;
/** What "at once" means here: argon2 and the request itself, with no wait for Redis. */
const AT_ONCE_MS = 1000;

describe.skipIf(!binary)('Redis outages (REDIS_URL)', () => {
  let redis: ThrowawayRedis;
  let t: TestGatehouse;
  beforeAll(async () => {
    redis = await startThrowawayRedis(binary!);
    t = await startTestGatehouse({ env: { REDIS_URL: redis.url, RATE_LIMITS: `signInAccount=${LIMIT}/600` } });
  });
  afterAll(async () => {
    await t?.close();
    await redis?.kill();
  });

  /** A verified account with the default password. */
  async function account(): Promise<string> {
    const email = t.email('redis');
    await t.backend.users.create({ email, password: DEFAULT_PASSWORD });
    return email;
  }

  async function signIn(email: string, password: string): Promise<{ status: number; ms: number }> {
    const started = performance.now();
    const { status } = await rawPost(t, 'auth/sign-in', { email, password });
    return { status, ms: performance.now() - started };
  }

  /** The failed sign-ins Redis holds for an account (0 when it holds none). */
  async function countedInRedis(email: string): Promise<number> {
    const client = new Redis(redis.url, { maxRetriesPerRequest: 0 });
    try {
      return Number(await client.get(`gatehouse_rl_signInAccount:${email}`));
    } finally {
      client.disconnect();
    }
  }

  /** Waits (polling, bounded) until a failed sign-in lands in Redis again: the server has reconnected. */
  async function countsInRedisAgain(): Promise<void> {
    await vi.waitFor(
      async () => {
        const email = t.email('probe');
        await signIn(email, 'wrong password');
        expect(await countedInRedis(email)).toBe(1);
      },
      { timeout: 15_000, interval: 100 },
    );
  }

  /** LIMIT wrong passwords answer 401 at once, the next attempt 429: the limit holds. */
  async function expectLimited(email: string): Promise<void> {
    for (let i = 0; i < LIMIT; i++) {
      const failed = await signIn(email, 'wrong password');
      expect(failed.status).toBe(401);
      expect(failed.ms).toBeLessThan(AT_ONCE_MS);
    }
    const blocked = await signIn(email, DEFAULT_PASSWORD);
    expect(blocked.status).toBe(429);
    expect(blocked.ms).toBeLessThan(AT_ONCE_MS);
  }

  it('answers sign-in at once while Redis is down, still limited in memory, and counts in Redis again once it is back', async () => {
    const before = await account();
    expect((await signIn(before, 'wrong password')).status).toBe(401);
    expect(await countedInRedis(before)).toBe(1);

    await redis.kill();
    const signedIn = await signIn(await account(), DEFAULT_PASSWORD);
    expect(signedIn.status).toBe(200);
    expect(signedIn.ms).toBeLessThan(AT_ONCE_MS);
    await expectLimited(await account());

    await redis.start();
    await countsInRedisAgain();
    expect((await signIn(await account(), DEFAULT_PASSWORD)).status).toBe(200);
    await expectLimited(await account());
  });

  it('gives up on a Redis that stops answering after half a second, then answers at once', async () => {
    const email = await account();
    redis.pause(true);
    try {
      // The first request waits for the silence to be noticed; later ones do not wait at all.
      const first = await signIn(email, DEFAULT_PASSWORD);
      expect(first.status).toBe(200);
      expect(first.ms).toBeLessThan(AT_ONCE_MS + 500);
      await expectLimited(await account());
    } finally {
      redis.pause(false);
    }
    await countsInRedisAgain();
  });
});
