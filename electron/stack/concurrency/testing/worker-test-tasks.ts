/** Tasks for the WorkerPool tests; loaded inside worker threads (through tsx, as the pool does for .ts). */
export const tasks = {
  echo: (payload: unknown) => payload,
  add: ({ a, b }: { a: number; b: number }) => a + b,
  fail: (message: string) => {
    throw new Error(message);
  },
  /** Waits `ms`, stopping early (with an error) when the pool aborts it. */
  sleep: (ms: number, { signal }: { signal: AbortSignal }) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => resolve(ms), ms);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(new Error('stopped by signal'));
      });
    }),
  /** Burns CPU and never looks at its signal: only terminating the worker stops it. */
  spin: (ms: number) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      /* busy */
    }
    return 'spun';
  },
  /** Kills its worker thread. */
  crash: () => {
    process.exit(7);
  },
  /** Throws outside the task's promise chain: an uncaught error in the worker. */
  throwUncaught: () =>
    new Promise(() => {
      setTimeout(() => {
        throw new Error('uncaught in worker');
      }, 1);
    }),
  threadId: async () => (await import('node:worker_threads')).threadId,
};
