import { afterEach, describe, expect, it } from 'vitest';
import { AbortError, ClosedError, QueueFullError, TimeoutError } from '../errors';
import { WorkerCrashedError, WorkerTaskError } from './worker-errors';
import { WorkerPool } from './worker-pool';

const TASKS = new URL('../testing/worker-test-tasks.ts', import.meta.url);
const pools: WorkerPool[] = [];

function pool(options: Partial<ConstructorParameters<typeof WorkerPool>[0]> = {}): WorkerPool {
  const created = new WorkerPool({ name: 'test-pool', module: TASKS, size: 2, ...options });
  pools.push(created);
  return created;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

describe('WorkerPool', () => {
  it('runs tasks from a TypeScript module in worker threads and returns their results', async () => {
    const workers = pool();
    await expect(workers.run('add', { a: 2, b: 3 })).resolves.toBe(5);
    const ids = await Promise.all([workers.run('threadId', null), workers.run('threadId', null)]);
    expect(ids.every((id) => typeof id === 'number' && id > 0)).toBe(true);
    const snapshot = workers.snapshot();
    expect(snapshot).toMatchObject({ name: 'test-pool', size: 2, completed: 3, failed: 0, busy: 0, queued: 0 });
    expect(snapshot.live).toBeLessThanOrEqual(2);
  });

  it('runs at most `size` tasks at once and queues the rest', async () => {
    const workers = pool({ size: 2 });
    const running = [1, 2, 3, 4].map(() => workers.run('sleep', 150));
    await new Promise((resolve) => setTimeout(resolve, 60));
    const during = workers.snapshot();
    expect(during.busy).toBeLessThanOrEqual(2);
    expect(during.busy + during.queued).toBe(4);
    await Promise.all(running);
    expect(workers.snapshot().completed).toBe(4);
  });

  it('reports a task that throws as WorkerTaskError and keeps the worker', async () => {
    const workers = pool({ size: 1 });
    await expect(workers.run('fail', 'bad input')).rejects.toBeInstanceOf(WorkerTaskError);
    await expect(workers.run('fail', 'bad input')).rejects.toThrow(/bad input/);
    await expect(workers.run('echo', 'still alive')).resolves.toBe('still alive');
    expect(workers.snapshot()).toMatchObject({ failed: 2, crashed: 0 });
  });

  it('fails the task of a crashed worker, replaces the worker and carries on', async () => {
    const workers = pool({ size: 1 });
    await expect(workers.run('crash', null)).rejects.toBeInstanceOf(WorkerCrashedError);
    await expect(workers.run('throwUncaught', null)).rejects.toMatchObject({ code: 'WORKER_CRASHED' });
    await expect(workers.run('echo', 'after crash')).resolves.toBe('after crash');
    expect(workers.snapshot()).toMatchObject({ crashed: 2, completed: 1 });
  });

  it('bounds the queue: a full queue rejects at once with QueueFullError', async () => {
    const workers = pool({ size: 1, maxQueue: 2 });
    const accepted = [workers.run('sleep', 100), workers.run('sleep', 1), workers.run('sleep', 1)];
    await new Promise((resolve) => setTimeout(resolve, 50)); // the first is running, two wait
    await expect(workers.run('sleep', 1)).rejects.toBeInstanceOf(QueueFullError);
    await Promise.all(accepted);
    expect(workers.snapshot().rejected).toBe(1);
  });

  it('aborts a queued task without running it', async () => {
    const workers = pool({ size: 1 });
    const first = workers.run('sleep', 100);
    const controller = new AbortController();
    const queued = workers.run('echo', 'never', { signal: controller.signal });
    controller.abort();
    await expect(queued).rejects.toBeInstanceOf(AbortError);
    await first;
    expect(workers.snapshot()).toMatchObject({ completed: 1, aborted: 1, queued: 0 });
  });

  it('aborts a running task through its signal and reuses the worker', async () => {
    const workers = pool({ size: 1 });
    const controller = new AbortController();
    const running = workers.run('sleep', 10_000, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort();
    await expect(running).rejects.toBeInstanceOf(AbortError);
    await expect(workers.run('echo', 'next')).resolves.toBe('next');
    expect(workers.snapshot().crashed).toBe(0);
  });

  it('terminates a worker whose task ignores the signal (timeout) and replaces it', async () => {
    const workers = pool({ size: 1, abortGraceMs: 50 });
    await expect(workers.run('spin', 5_000, { timeoutMs: 200 })).rejects.toBeInstanceOf(TimeoutError);
    await expect(workers.run('echo', 'fresh worker')).resolves.toBe('fresh worker');
    expect(workers.snapshot()).toMatchObject({ timeouts: 1, crashed: 0, completed: 1 });
  });

  it('close() rejects queued work and later calls', async () => {
    const workers = pool({ size: 1 });
    const running = workers.run('sleep', 5_000).catch((error: unknown) => error);
    const queued = workers.run('echo', 'x').catch((error: unknown) => error);
    await workers.close();
    expect(await running).toBeInstanceOf(ClosedError);
    expect(await queued).toBeInstanceOf(ClosedError);
    await expect(workers.run('echo', 'y')).rejects.toBeInstanceOf(ClosedError);
  });
});
