import { Writable } from 'node:stream';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/index.js';
import type { Deps } from '../src/deps.js';
import { claimDueMessages, enqueueEmail, MAX_ATTEMPTS, type OutgoingEmail, purgeExpiredSecrets } from '../src/features/email/outbox.js';
import { type OutboxWorkerOptions, startOutboxWorker } from '../src/features/email/worker.js';
import { failure } from './auth-helpers.js';
import { freePort, startTestGatehouse, type TestGatehouse } from './harness.js';
import { postgresUrl } from './services.js';
import { startTestSmtp, type TestSmtp } from './smtp.js';

type Attempt = Parameters<NonNullable<OutboxWorkerOptions['onAttempt']>>[0];

/** A worker of its own on `t`'s database, sending to `smtpUrl`, whose attempts a test can await. */
function worker(deps: Deps, smtpUrl: string, options: OutboxWorkerOptions = {}) {
  const attempts: Attempt[] = [];
  const waiters: { match: (a: Attempt) => boolean; resolve: (a: Attempt) => void }[] = [];
  const handle = startOutboxWorker(
    { ...deps, config: { ...deps.config, smtpUrl } },
    {
      idleMs: 20,
      ...options,
      onAttempt(attempt) {
        attempts.push(attempt);
        options.onAttempt?.(attempt);
        for (const w of [...waiters]) {
          if (w.match(attempt)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(attempt);
          }
        }
      },
    },
  );
  return {
    ...handle,
    attempts,
    /** The first attempt (past or future) that matches. */
    attempt(match: (a: Attempt) => boolean): Promise<Attempt> {
      const done = attempts.find(match);
      return done ? Promise.resolve(done) : new Promise((resolve) => waiters.push({ match, resolve }));
    },
  };
}

function enqueue(t: TestGatehouse, email: Partial<OutgoingEmail> & { to: string }) {
  const db = t.gatehouse.deps.db;
  return db
    .transaction()
    .execute((tx) =>
      enqueueEmail(tx, { subject: 'Your code', text: 'Your code is 123456', kind: 'verify_email', ...email }, t.clock.now()),
    );
}

async function outboxItem(t: TestGatehouse, to: string) {
  const page = await t.backend.outbox.list({ to });
  expect(page.data).toHaveLength(1);
  return page.data[0]!;
}

describe('email outbox', () => {
  let t: TestGatehouse;
  let smtp: TestSmtp;
  beforeAll(async () => {
    [t, smtp] = await Promise.all([startTestGatehouse(), startTestSmtp()]);
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it('delivers through SMTP, then clears the body', async () => {
    const to = t.email('deliver');
    const w = worker(t.gatehouse.deps, smtp.url);
    try {
      const text = `Bonjour Zoë,\n\nYour code is 428193. ${'A long line that nodemailer must wrap. '.repeat(4)}\n\n— Gatehouse`;
      const id = await enqueue(t, { to, subject: 'Vérifiez votre adresse', text });
      const received = await smtp.waitForMessage(to);
      expect(received).toEqual({ to, subject: 'Vérifiez votre adresse', text });
      await w.attempt((a) => a.id === id && a.ok);
      expect(await outboxItem(t, to)).toMatchObject({ id, status: 'sent', attempts: 1, text: null, lastError: null });
      expect((await outboxItem(t, to)).sentAt).not.toBeNull();
    } finally {
      await w.stop();
    }
  });

  it('retries with backoff while SMTP is down, and delivers once it is up', async () => {
    const port = await freePort();
    const to = t.email('retry');
    const w = worker(t.gatehouse.deps, `smtp://127.0.0.1:${port}`, { backoffMs: 10_000 });
    let late: TestSmtp | undefined;
    try {
      const id = await enqueue(t, { to });
      const failed = await w.attempt((a) => a.id === id && !a.ok);
      expect(failed.attempts).toBe(1);
      const pending = await outboxItem(t, to);
      expect(pending).toMatchObject({ status: 'pending', attempts: 1, text: 'Your code is 123456' });
      expect(pending.lastError).toMatch(/ECONNREFUSED|connect/i);

      late = await startTestSmtp({ port });
      // Not retried before the backoff has passed: the clock has not moved.
      expect(w.attempts.filter((a) => a.id === id)).toHaveLength(1);
      t.clock.advance(10_001);
      const received = await late.waitForMessage(to);
      expect(received.text).toBe('Your code is 123456');
      await w.attempt((a) => a.id === id && a.ok);
      expect(await outboxItem(t, to)).toMatchObject({ status: 'sent', attempts: 2, text: null, lastError: null });
    } finally {
      await w.stop();
      await late?.close();
    }
  });

  it(`gives up after ${MAX_ATTEMPTS} attempts and clears the body`, async () => {
    const port = await freePort();
    const to = t.email('giveup');
    // Each failure moves the clock past the longest backoff, so the next poll retries at once.
    const w = worker(t.gatehouse.deps, `smtp://127.0.0.1:${port}`, { onAttempt: () => t.clock.advance(2 * 3600_000) });
    try {
      const id = await enqueue(t, { to });
      await w.attempt((a) => a.id === id && a.attempts === MAX_ATTEMPTS);
      expect(await outboxItem(t, to)).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, text: null });
      t.clock.advance(2 * 3600_000);
    } finally {
      await w.stop();
    }
    expect(w.attempts.filter((a) => a.to === to)).toHaveLength(MAX_ATTEMPTS);
  });

  it('loses nothing across a restart: queued rows and crashed claims are delivered by a new worker', async () => {
    const queued = t.email('queued');
    const crashed = t.email('crashed');
    // Queued while no worker had SMTP (the app's own worker only logs).
    await enqueue(t, { to: queued });
    await enqueue(t, { to: crashed });
    // A worker that claims the second one and dies before sending: its lease keeps it reserved.
    const claimed = await claimDueMessages(t.gatehouse.deps.db, t.clock.now(), 100, 60_000);
    expect(claimed.map((m) => m.to_address)).toEqual(expect.arrayContaining([queued, crashed]));
    await t.gatehouse.deps.db
      .updateTable('outbox_messages')
      .set({ attempts: 0, next_attempt_at: t.clock.now() })
      .where('to_address', '=', queued)
      .execute();

    const w = worker(t.gatehouse.deps, smtp.url);
    try {
      expect((await smtp.waitForMessage(queued)).text).toBe('Your code is 123456');
      expect(smtp.messages.some((m) => m.to === crashed)).toBe(false);
      t.clock.advance(60_001);
      expect((await smtp.waitForMessage(crashed)).text).toBe('Your code is 123456');
    } finally {
      await w.stop();
    }
  });

  it('purges bodies whose secret expired; a message still pending then fails', async () => {
    const to = t.email('purge');
    const keep = t.email('keep');
    await enqueue(t, { to, secretExpiresAt: new Date(t.clock.now().getTime() + 10 * 60_000) });
    await enqueue(t, { to: keep, secretExpiresAt: new Date(t.clock.now().getTime() + 3 * 24 * 3600_000) });
    await purgeExpiredSecrets(t.gatehouse.deps.db, t.clock.now());
    expect((await outboxItem(t, to)).text).toBe('Your code is 123456');
    t.clock.advance(10 * 60_000 + 1);
    await purgeExpiredSecrets(t.gatehouse.deps.db, t.clock.now());
    expect(await outboxItem(t, to)).toMatchObject({ status: 'failed', text: null, lastError: expect.stringMatching(/expired/) });
    expect(await outboxItem(t, keep)).toMatchObject({ status: 'pending', text: 'Your code is 123456' });
  });

  it('lists newest first, by address and kind, with a cursor', async () => {
    const to = t.email('list');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push(await enqueue(t, { to, subject: `Message ${i}`, kind: i % 2 ? 'password_reset' : 'verify_email' }));
    const first = await t.backend.outbox.list({ to, limit: 2 });
    expect(first.data.map((m) => m.subject)).toEqual(['Message 4', 'Message 3']);
    expect(first.hasMore).toBe(true);
    const all = [];
    for await (const m of t.backend.outbox.listAll({ to, limit: 2 })) all.push(m.id);
    expect(all).toEqual([...ids].reverse());
    const resets = await t.backend.outbox.list({ to, kind: 'password_reset' });
    expect(resets.data.map((m) => m.subject)).toEqual(['Message 3', 'Message 1']);
    expect(resets.data[0]).toEqual({
      id: ids[3],
      to,
      subject: 'Message 3',
      text: 'Your code is 123456',
      kind: 'password_reset',
      status: 'pending',
      attempts: 0,
      lastError: null,
      createdAt: expect.any(String),
      sentAt: null,
    });
    const bad = await failure(t.backend.outbox.list({ cursor: '!!!' }));
    expect(bad).toMatchObject({ code: 'invalid_request' });
    // A blank filter is a mistake, not "every message" (which would list everyone's codes).
    for (const filter of [{ to: ' ' }, { kind: '' }]) {
      expect(await failure(t.backend.outbox.list(filter))).toMatchObject({ code: 'invalid_request', status: 400 });
    }
  });

  it('without SMTP_URL, logs that an email was queued but never its body', async () => {
    const lines: string[] = [];
    let seen: (line: string) => void = () => {};
    const queuedLine = new Promise<string>((resolve) => {
      seen = resolve;
    });
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        const line = chunk.toString();
        lines.push(line);
        if (line.includes('email queued')) seen(line);
        callback();
      },
    });
    const deps = t.gatehouse.deps;
    const handle = startOutboxWorker({ ...deps, log: pino({ level: 'info' }, stream) }, { idleWithoutSmtpMs: 20 });
    try {
      const to = t.email('logged');
      const id = await enqueue(t, { to, text: 'Your code is 987654' });
      const line = await queuedLine;
      expect(line).toContain(id);
      expect(lines.join('')).not.toContain('987654');
    } finally {
      await handle.stop();
    }
  });

  it('is wired into the app: with SMTP_URL, Gatehouse sends what it queues, and closes promptly', async () => {
    const app = await startTestGatehouse({ env: { SMTP_URL: smtp.url } });
    try {
      const to = app.email('wired');
      await enqueue(app, { to, subject: 'Welcome' });
      expect(await smtp.waitForMessage(to)).toEqual({ to, subject: 'Welcome', text: 'Your code is 123456' });
    } finally {
      await app.close();
    }
  });
});

const pgUrl = await postgresUrl();

describe.skipIf(!pgUrl)('email outbox on PostgreSQL: several processes drain one outbox', () => {
  let t: TestGatehouse;
  let smtp: TestSmtp;
  beforeAll(async () => {
    [t, smtp] = await Promise.all([startTestGatehouse({ postgresUrl: pgUrl as string }), startTestSmtp()]);
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  async function secondProcessDb() {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(t.gatehouse.deps.db);
    return openDatabase({ engine: 'postgres', url: pgUrl as string, schema: rows[0]!.schema, poolSize: 5 });
  }

  it('concurrent claims never overlap (FOR UPDATE SKIP LOCKED)', async () => {
    const tos = Array.from({ length: 30 }, () => t.email('claim'));
    for (const to of tos) await enqueue(t, { to });
    const other = await secondProcessDb();
    try {
      const now = t.clock.now();
      const claims = await Promise.all(
        Array.from({ length: 6 }, (_, i) => claimDueMessages(i % 2 ? other.db : t.gatehouse.deps.db, now, 5, 60_000)),
      );
      const ids = claims.flat().map((m) => m.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toHaveLength(30);
      // Claimed rows are leased: nothing is due any more.
      expect(await claimDueMessages(t.gatehouse.deps.db, now, 100, 60_000)).toEqual([]);
    } finally {
      await other.close();
    }
    await t.gatehouse.deps.db.deleteFrom('outbox_messages').execute();
  });

  it('two workers on separate pools send every message exactly once', async () => {
    const tos = Array.from({ length: 40 }, () => t.email('many'));
    for (const to of tos) await enqueue(t, { to });
    const other = await secondProcessDb();
    const a = worker(t.gatehouse.deps, smtp.url, { batchSize: 3 });
    const b = worker({ ...t.gatehouse.deps, db: other.db }, smtp.url, { batchSize: 3 });
    try {
      await Promise.all(tos.map((to) => smtp.waitForMessage(to, 15_000)));
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      await other.close();
    }
    const delivered = smtp.messages.filter((m) => tos.includes(m.to)).map((m) => m.to);
    expect(delivered.sort()).toEqual([...tos].sort());
    expect(a.attempts.length + b.attempts.length).toBe(40);
    const sent = await t.backend.outbox.list({ limit: 100 });
    expect(sent.data.filter((m) => tos.includes(m.to)).every((m) => m.status === 'sent' && m.attempts === 1)).toBe(true);
  });
});
