import type { Logger } from 'pino';

/** Work a handler starts but does not wait for; `drain` waits for what is still running. */
export interface AfterResponse {
  /** Run `task` without delaying the answer; a failure is logged under `label`, never thrown. */
  run(label: string, task: () => Promise<unknown>): void;
  /** Resolves once every task started so far has ended (before the database closes). */
  drain(): Promise<void>;
}

export function createAfterResponse(log: Logger): AfterResponse {
  const running = new Set<Promise<void>>();
  return {
    run(label, task) {
      const done = Promise.resolve()
        .then(task)
        .then(
          () => {},
          (error: unknown) => log.error({ err: error, task: label }, 'background task failed'),
        )
        .finally(() => running.delete(done));
      running.add(done);
    },
    async drain() {
      while (running.size > 0) await Promise.all(running);
    },
  };
}
