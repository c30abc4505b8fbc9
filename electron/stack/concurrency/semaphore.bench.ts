import pLimit from 'p-limit';
import PQueue from 'p-queue';
import type { BenchCase } from '../bench/harness';
import { Semaphore } from './semaphore';

/**
 * Semaphore against p-limit and p-queue, the libraries agent code uses today. Each workload is the same
 * job expressed in each API: run a trivial async task under a concurrency limit.
 */
const noopTask = async (): Promise<void> => {};

/** A task that yields once, like a real awaited call, so holders overlap and waiters really queue. */
const yieldingTask = async (): Promise<void> => {
  await Promise.resolve();
};

export function semaphoreCases(scale = 1): BenchCase[] {
  const sequentialOps = Math.round(100_000 * scale);
  const contendedOps = Math.round(100_000 * scale);
  const queuedWaiters = 10_000;

  return [
    {
      name: 'semaphore: uncontended acquire/release (sequential, 1 permit free)',
      ours: {
        label: 'Semaphore.acquire+release',
        setup: () => {
          const semaphore = new Semaphore({ name: 'bench', permits: 4 });
          return async () => {
            for (let i = 0; i < sequentialOps; i++) (await semaphore.acquire()).release();
            return sequentialOps;
          };
        },
      },
      peers: [
        {
          label: 'p-limit limit(fn)',
          setup: () => {
            const limit = pLimit(4);
            return async () => {
              for (let i = 0; i < sequentialOps; i++) await limit(noopTask);
              return sequentialOps;
            };
          },
        },
        {
          label: 'p-queue add(fn)',
          setup: () => {
            const queue = new PQueue({ concurrency: 4 });
            return async () => {
              for (let i = 0; i < sequentialOps; i++) await queue.add(noopTask);
              return sequentialOps;
            };
          },
        },
      ],
    },
    {
      name: 'semaphore: uncontended withPermit(fn) (sequential)',
      ours: {
        label: 'Semaphore.withPermit(fn)',
        setup: () => {
          const semaphore = new Semaphore({ name: 'bench', permits: 4 });
          return async () => {
            for (let i = 0; i < sequentialOps; i++) await semaphore.withPermit(noopTask);
            return sequentialOps;
          };
        },
      },
      peers: [
        {
          label: 'p-limit limit(fn)',
          setup: () => {
            const limit = pLimit(4);
            return async () => {
              for (let i = 0; i < sequentialOps; i++) await limit(noopTask);
              return sequentialOps;
            };
          },
        },
      ],
    },
    {
      name: 'semaphore: contended (4 permits, 64 concurrent callers, tasks yield)',
      ours: {
        label: 'Semaphore.withPermit(fn)',
        setup: () => {
          const semaphore = new Semaphore({ name: 'bench', permits: 4 });
          return () => runCallers(64, contendedOps, () => semaphore.withPermit(yieldingTask));
        },
      },
      peers: [
        {
          label: 'p-limit limit(fn)',
          setup: () => {
            const limit = pLimit(4);
            return () => runCallers(64, contendedOps, () => limit(yieldingTask));
          },
        },
        {
          label: 'p-queue add(fn)',
          setup: () => {
            const queue = new PQueue({ concurrency: 4 });
            return () => runCallers(64, contendedOps, () => queue.add(yieldingTask));
          },
        },
      ],
    },
    {
      name: 'semaphore: contended acquire()/release() (4 permits, 64 callers, holders yield)',
      ours: {
        label: 'Semaphore.acquire+release',
        setup: () => {
          const semaphore = new Semaphore({ name: 'bench', permits: 4 });
          return () =>
            runCallers(64, contendedOps, async () => {
              const permit = await semaphore.acquire();
              await Promise.resolve();
              permit.release();
            });
        },
      },
      peers: [
        {
          label: 'p-limit limit(fn)',
          setup: () => {
            const limit = pLimit(4);
            return () => runCallers(64, contendedOps, () => limit(yieldingTask));
          },
        },
      ],
    },
    {
      name: `semaphore: ${queuedWaiters.toLocaleString('en')} queued waiters drained (1 permit)`,
      ours: {
        label: 'Semaphore.withPermit(fn)',
        setup: () => {
          const semaphore = new Semaphore({ name: 'bench', permits: 1 });
          return () => fanOut(queuedWaiters, () => semaphore.withPermit(noopTask));
        },
      },
      peers: [
        {
          label: 'p-limit limit(fn)',
          setup: () => {
            const limit = pLimit(1);
            return () => fanOut(queuedWaiters, () => limit(noopTask));
          },
        },
        {
          label: 'p-queue add(fn)',
          setup: () => {
            const queue = new PQueue({ concurrency: 1 });
            return () => fanOut(queuedWaiters, () => queue.add(noopTask));
          },
        },
      ],
    },
  ];
}

/** `callers` loops run `total` calls between them, each waiting for its previous call. */
async function runCallers(callers: number, total: number, call: () => Promise<unknown>): Promise<number> {
  const perCaller = Math.ceil(total / callers);
  const loops: Promise<void>[] = [];
  for (let c = 0; c < callers; c++) {
    loops.push(
      (async () => {
        for (let i = 0; i < perCaller; i++) await call();
      })(),
    );
  }
  await Promise.all(loops);
  return perCaller * callers;
}

/** Starts `count` calls at once (they all queue) and waits for all of them. */
async function fanOut(count: number, call: () => Promise<unknown>): Promise<number> {
  const pending: Promise<unknown>[] = new Array<Promise<unknown>>(count);
  for (let i = 0; i < count; i++) pending[i] = call();
  await Promise.all(pending);
  return count;
}
