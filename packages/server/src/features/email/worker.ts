import type { Deps } from '../../deps.js';

/** Drains the outbox over SMTP when SMTP_URL is set (filled in by the email work). */
export function startOutboxWorker(_deps: Deps): { stop(): Promise<void> } {
  return { stop: async () => {} };
}
