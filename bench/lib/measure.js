// Timing helpers for scenarios that measure in-process work or one slow call at a time.
import { performance } from 'node:perf_hooks';

/**
 * The p-th percentile (0-100) of samples, nearest rank.
 * @param {number[]} samples
 * @param {number} p
 */
export function percentile(samples, p) {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return /** @type {number} */ (sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]);
}

/**
 * Run `fn` back to back, `concurrency` at a time, for `seconds`; latencies in ms and calls per second.
 * @param {() => Promise<unknown>} fn
 * @param {number} seconds
 * @param {number} [concurrency]
 */
export async function timeLoop(fn, seconds, concurrency = 1) {
  /** @type {number[]} */
  const latencies = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const t = performance.now();
        await fn();
        latencies.push(performance.now() - t);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return {
    count: latencies.length,
    perSec: Math.round(latencies.length / elapsed),
    p50: round(percentile(latencies, 50)),
    p99: round(percentile(latencies, 99)),
  };
}

/** @param {number} n */
export function round(n) {
  return Math.round(n * 100) / 100;
}
