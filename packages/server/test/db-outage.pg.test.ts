import { GatehouseError } from '@gatehouse/sdk';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromDatabaseError } from '../src/http/errors.js';
import { DEFAULT_PASSWORD, failure, rawPost } from './auth-helpers.js';
import { startTestGatehouse, type TestGatehouse } from './harness.js';
import { findPostgres, startThrowawayPostgres, type ThrowawayPostgres } from './throwaway-services.js';

/**
 * PostgreSQL going away under a running server. Before connection errors were handled, a restart
 * (`pg_ctl restart -m fast`) killed the process on an unhandled 'error' event of a pooled client
 * ("terminating connection due to administrator command"). Each run starts its own cluster, on its
 * own port, so the machine's PostgreSQL is never restarted.
 */
const install = findPostgres();
const WRITERS = 8;
/** How soon after PostgreSQL accepts connections again Gatehouse must serve. */
const BACK_WITHIN_MS = 5000;

describe.skipIf(!install)('PostgreSQL outages', () => {
  let pg: ThrowawayPostgres;
  let t: TestGatehouse;
  beforeAll(async () => {
    pg = await startThrowawayPostgres(install!);
    t = await startTestGatehouse({ postgresUrl: pg.url });
  });
  afterAll(async () => {
    await t?.close();
    await pg?.destroy();
  });

  /** Every refusal is a 503 `unavailable` with `Retry-After`: a client knows to wait and retry. */
  function expectUnavailable(error: unknown): void {
    expect(error).toBeInstanceOf(GatehouseError);
    expect(error, (error as Error).message).toMatchObject({ status: 503, code: 'unavailable', retryAfter: expect.any(Number) });
    expect((error as GatehouseError).retryAfter).toBeGreaterThan(0);
  }

  it('loses no acknowledged write through a fast restart with eight writers, refuses with 503 meanwhile, and serves again at once', async () => {
    const acknowledged: string[] = [];
    const refusals: unknown[] = [];
    const servedAgainAfterMs: number[] = [];
    let restartedAt: number | undefined;
    let warmedUp: () => void = () => {};
    const warm = new Promise<void>((resolve) => {
      warmedUp = resolve;
    });
    /** Creates users until PostgreSQL is back and this writer has been served since. */
    const writer = async () => {
      for (;;) {
        try {
          const user = await t.backend.users.create({ email: t.email('writer') });
          acknowledged.push(user.id);
          if (acknowledged.length >= 4 * WRITERS) warmedUp();
          if (restartedAt !== undefined) {
            servedAgainAfterMs.push(performance.now() - restartedAt);
            return;
          }
        } catch (error) {
          refusals.push(error);
        }
      }
    };
    const writers = Array.from({ length: WRITERS }, writer);
    // Restart while every writer is busy and the pool holds connections, checked out and idle.
    await warm;
    await pg.restart();
    restartedAt = performance.now();
    await Promise.all(writers);

    expect(refusals.length, 'the restart refused some writes').toBeGreaterThan(0);
    for (const error of refusals) expectUnavailable(error);
    expect(servedAgainAfterMs).toHaveLength(WRITERS);
    for (const ms of servedAgainAfterMs) expect(ms).toBeLessThan(BACK_WITHIN_MS);
    const stored = await t.gatehouse.deps.db.selectFrom('users').select('id').where('id', 'in', acknowledged).execute();
    expect(stored).toHaveLength(acknowledged.length);
  });

  it('answers 503 with Retry-After while PostgreSQL is down, /healthz included, and serves within 5 s of its return', async () => {
    // Idle connections in the pool, for the shutdown to terminate.
    await Promise.all(Array.from({ length: 4 }, () => t.backend.users.create({ email: t.email() })));
    await pg.stop();
    try {
      const health = await fetch(`${t.url}/healthz`);
      expect(health.status).toBe(503);
      expect(Number(health.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await health.json()).toEqual({ errors: [{ code: 'unavailable', message: expect.stringMatching(/database/i) }] });

      expectUnavailable(await failure(t.backend.users.create({ email: t.email() })));
      expectUnavailable(await failure(t.backend.users.list()));
      // The frontend API answers in its envelope, with the same code and header.
      const signIn = await rawPost(t, 'auth/sign-in', { email: t.email(), password: DEFAULT_PASSWORD });
      expect(signIn.status).toBe(503);
      expect(Number(signIn.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(signIn.body.errors?.[0]?.code).toBe('unavailable');
    } finally {
      await pg.start();
    }
    const back = performance.now();
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    await t.backend.users.create({ email: t.email() });
    expect(performance.now() - back).toBeLessThan(BACK_WITHIN_MS);
  });

  it('drops a connection PostgreSQL terminates while it is checked out between two queries', async () => {
    const { db } = t.gatehouse.deps;
    const error = await db
      .transaction()
      .execute(async (tx) => {
        await sql`select 1`.execute(tx);
        // No query runs on this connection while PostgreSQL terminates it: the client itself
        // emits the error, which nobody but the pool's own handling listens to.
        await pg.restart();
        await sql`select 1`.execute(tx);
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(fromDatabaseError(error)?.code, String(error)).toBe('unavailable');
    // The dead connection went back to the pool as failed and was discarded: more requests at once
    // than the pool has connections, and every one is served.
    const users = await Promise.all(Array.from({ length: 30 }, () => t.backend.users.create({ email: t.email() })));
    expect(users).toHaveLength(30);
  });
});
