import type { Transporter } from 'nodemailer';
import type { Deps } from '../../deps.js';
import { claimDueMessages, listQueuedSince, markAttemptFailed, markSent, type OutboxMessage, purgeExpiredSecrets } from './outbox.js';

/** Tuning of the outbox worker; the defaults suit production and tests alike. */
export interface OutboxWorkerOptions {
  /** Wait between polls when nothing was due (ms). */
  idleMs?: number;
  /** Wait between polls without SMTP_URL, when the worker only logs and purges (ms). */
  idleWithoutSmtpMs?: number;
  /** Messages claimed per batch. */
  batchSize?: number;
  /** How long a claimed message is reserved for its worker before another may retry it (ms). */
  leaseMs?: number;
  /** First retry delay (ms); doubles with each attempt, up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** How often bodies with expired secrets are purged (ms). */
  purgeEveryMs?: number;
  /** Called after each delivery attempt (tests wait on it instead of sleeping). */
  onAttempt?: (outcome: { id: string; to: string; ok: boolean; attempts: number; error?: string }) => void;
}

const defaults = {
  idleMs: 250,
  idleWithoutSmtpMs: 1000,
  batchSize: 20,
  leaseMs: 10 * 60_000,
  backoffMs: 10_000,
  maxBackoffMs: 60 * 60_000,
  purgeEveryMs: 60_000,
};

/** Delay before attempt `attempts + 1`: exponential, capped. */
export function backoffDelay(attempts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
}

/**
 * Drains the outbox. With SMTP_URL, due messages are claimed (`FOR UPDATE SKIP LOCKED`, so any
 * number of processes can share one outbox), sent with nodemailer, and retried with exponential
 * backoff; all state is in the table, so a restart loses nothing. Without SMTP_URL, messages stay
 * in the outbox (`gatehouse outbox`, backend `GET /outbox`) and each new one is logged — its body
 * only at debug level, because it carries codes and links. In both modes, bodies whose secret has
 * expired are purged periodically. `stop()` lets the current batch finish.
 */
export function startOutboxWorker(deps: Deps, options: OutboxWorkerOptions = {}): { stop(): Promise<void> } {
  const o = { ...defaults, ...options };
  const { db, clock, log, config } = deps;
  /** Made when the loop starts, with SMTP_URL only: a start without SMTP never loads nodemailer. */
  let transport: Transporter | undefined;
  const connectSmtp = async (url: string): Promise<Transporter> => {
    const { default: nodemailer } = await import('nodemailer');
    return nodemailer.createTransport(
      {
        url,
        // Reuse a few connections across messages and batches instead of one handshake per email.
        pool: true,
        maxConnections: 4,
        // Bounded well below the lease, so a hung server cannot make two workers send one message.
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
      },
      { from: config.mailFrom },
    );
  };
  let stopped = false;
  let wake: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  let lastPurge = 0;
  // Only what is queued from now on is logged; earlier messages were logged by whoever ran then.
  const startedAt = clock.now();
  let loggedUpTo: string | undefined;

  /** Send one claimed message and record the outcome. At-least-once: a crash between the SMTP
   * answer and `markSent` resends it after the lease, which beats losing a sign-up code. */
  const deliver = async (message: OutboxMessage): Promise<void> => {
    if (!transport || message.text === null) return;
    const attempt = { id: message.id, to: message.to_address, attempts: message.attempts };
    try {
      await transport.sendMail({ to: message.to_address, subject: message.subject, text: message.text });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const retryAt = new Date(clock.now().getTime() + backoffDelay(message.attempts, o.backoffMs, o.maxBackoffMs));
      await markAttemptFailed(db, message, reason, retryAt);
      log.warn({ emailId: message.id, kind: message.kind, attempts: message.attempts, err: reason }, 'email delivery failed');
      o.onAttempt?.({ ...attempt, ok: false, error: reason });
      return;
    }
    await markSent(db, message.id, clock.now());
    log.info({ emailId: message.id, kind: message.kind, attempts: message.attempts }, 'email sent');
    o.onAttempt?.({ ...attempt, ok: true });
  };

  /** Log newly queued messages when there is no SMTP server to send them. */
  const logQueued = async (): Promise<void> => {
    const rows = await listQueuedSince(db, startedAt, loggedUpTo, 100);
    for (const row of rows) {
      log.info({ emailId: row.id, to: row.to_address, kind: row.kind }, 'email queued (no SMTP_URL): read it with `gatehouse outbox`');
      // Codes and links stay out of logs unless someone asked for debug output.
      log.debug({ emailId: row.id, subject: row.subject, text: row.text }, 'queued email body');
      loggedUpTo = row.id;
    }
  };

  /** One round; true when there may be more work right away. */
  const tick = async (): Promise<boolean> => {
    const now = clock.now();
    if (now.getTime() - lastPurge >= o.purgeEveryMs) {
      lastPurge = now.getTime();
      const purged = await purgeExpiredSecrets(db, now);
      if (purged > 0) log.info({ purged }, 'purged outbox bodies whose secret expired');
    }
    if (!transport) {
      await logQueued();
      return false;
    }
    const batch = await claimDueMessages(db, now, o.batchSize, o.leaseMs);
    // Settled, not all: one failure must not leave the rest of the batch running after stop().
    for (const result of await Promise.allSettled(batch.map(deliver))) {
      if (result.status === 'rejected')
        log.error({ err: result.reason }, 'could not record an email delivery; it is retried after its lease');
    }
    return batch.length === o.batchSize;
  };

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, ms);
    });

  const loop = (async () => {
    if (config.smtpUrl) transport = await connectSmtp(config.smtpUrl);
    while (!stopped) {
      let more = false;
      try {
        more = await tick();
      } catch (error) {
        if (stopped) break;
        log.error({ err: error }, 'outbox worker round failed; retrying');
      }
      if (!stopped && !more) await pause(transport ? o.idleMs : o.idleWithoutSmtpMs);
    }
  })();

  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      wake?.();
      await loop;
      transport?.close();
    },
  };
}
