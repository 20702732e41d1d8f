/** PostgreSQL's "try again" failures: a serialization failure and a detected deadlock. */
const RETRYABLE = new Set(['40001', '40P01']);
const ATTEMPTS = 4;

function isRetryable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && RETRYABLE.has((error as { code?: unknown }).code as string);
}

/**
 * Run a whole transaction again when PostgreSQL aborted it as a serialization failure or a
 * deadlock victim: the transaction rolled back entirely, so a re-run is safe, and the other side
 * has committed or waits no more. Bounded, so a pathological loop still ends (as a 500).
 */
export async function retryTransaction<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= ATTEMPTS || !isRetryable(error)) throw error;
    }
  }
}
