import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/manual-clock';
import { AbortError, CapacityExceededError, ClosedError, QueueFullError, TimeoutError } from './errors';
import { Semaphore, type Permit } from './semaphore';
import { flushMicrotasks } from './testing/seeded-random';

function track<T>(promise: Promise<T>): { value?: T; error?: unknown; settled: boolean } {
  const state: { value?: T; error?: unknown; settled: boolean } = { settled: false };
  promise.then(
    (value) => Object.assign(state, { value, settled: true }),
    (error: unknown) => Object.assign(state, { error, settled: true }),
  );
  return state;
}

describe('Semaphore', () => {
  it('grants up to `permits` at once and queues the rest in arrival order', async () => {
    const semaphore = new Semaphore({ name: 't', permits: 2, clock: new ManualClock() });
    const a = await semaphore.acquire();
    const b = await semaphore.acquire();
    const order: string[] = [];
    const c = semaphore.acquire().then((permit) => (order.push('c'), permit));
    const d = semaphore.acquire().then((permit) => (order.push('d'), permit));
    await flushMicrotasks();
    expect(semaphore.inUse).toBe(2);
    expect(semaphore.waiting).toBe(2);
    expect(order).toEqual([]);
    a.release();
    await flushMicrotasks();
    expect(order).toEqual(['c']);
    b.release();
    (await c).release();
    (await d).release();
    expect(order).toEqual(['c', 'd']);
    expect(semaphore.inUse).toBe(0);
  });

  it('does not let a small request overtake a heavier one at the head of the queue', async () => {
    const semaphore = new Semaphore({ name: 't', permits: 3, clock: new ManualClock() });
    const first = await semaphore.acquire({ weight: 2 });
    const heavy = track(semaphore.acquire({ weight: 3 }));
    const light = track(semaphore.acquire({ weight: 1 }));
    await flushMicrotasks();
    // One permit is free, enough for `light`, but `heavy` came first.
    expect(semaphore.available).toBe(1);
    expect(light.settled).toBe(false);
    first.release();
    await flushMicrotasks();
    expect(heavy.settled).toBe(true);
    expect(light.settled).toBe(false);
    (heavy.value as Permit).release();
    await flushMicrotasks();
    expect(light.settled).toBe(true);
  });

  it('rejects a weight larger than all permits at once instead of waiting forever', async () => {
    const semaphore = new Semaphore({ name: 't', permits: 2 });
    await expect(semaphore.acquire({ weight: 3 })).rejects.toBeInstanceOf(CapacityExceededError);
    await expect(semaphore.acquire({ weight: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(semaphore.waiting).toBe(0);
  });

  it('times out a waiter with TimeoutError, leaving the queue clean and the permits intact', async () => {
    const clock = new ManualClock();
    const semaphore = new Semaphore({ name: 'db', permits: 1, clock });
    const held = await semaphore.acquire();
    const late = track(semaphore.acquire({ timeoutMs: 500 }));
    clock.advance(499);
    await flushMicrotasks();
    expect(late.settled).toBe(false);
    clock.advance(1);
    await flushMicrotasks();
    expect(late.error).toBeInstanceOf(TimeoutError);
    expect((late.error as TimeoutError).code).toBe('TIMEOUT');
    expect(semaphore.waiting).toBe(0);
    expect(clock.pendingTimers).toBe(0);
    held.release();
    expect(semaphore.inUse).toBe(0);
    expect(semaphore.snapshot().timeouts).toBe(1);
    // The permit the timed-out waiter never got is still there for the next caller.
    expect(semaphore.tryAcquire()).not.toBeNull();
  });

  it('aborts a waiter with AbortError and removes its listener and timer', async () => {
    const clock = new ManualClock();
    const semaphore = new Semaphore({ name: 't', permits: 1, clock });
    const held = await semaphore.acquire();
    const controller = new AbortController();
    const waiting = track(semaphore.acquire({ signal: controller.signal, timeoutMs: 10_000 }));
    controller.abort(new Error('user left'));
    await flushMicrotasks();
    expect(waiting.error).toBeInstanceOf(AbortError);
    expect((waiting.error as AbortError).message).toContain('user left');
    expect(semaphore.waiting).toBe(0);
    expect(clock.pendingTimers).toBe(0);
    held.release();
    expect(semaphore.inUse).toBe(0);
  });

  it('rejects an already-aborted signal without taking a permit, even when permits are free', async () => {
    const semaphore = new Semaphore({ name: 't', permits: 1 });
    await expect(semaphore.acquire({ signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortError);
    expect(semaphore.inUse).toBe(0);
  });

  it('turns an AbortSignal.timeout() into TimeoutError', async () => {
    const semaphore = new Semaphore({ name: 't', permits: 1 });
    const held = await semaphore.acquire();
    await expect(semaphore.acquire({ signal: AbortSignal.timeout(5) })).rejects.toBeInstanceOf(TimeoutError);
    held.release();
    expect(semaphore.waiting).toBe(0);
  });

  it('serves smaller waiters when the heavy head of the queue is cancelled', async () => {
    const semaphore = new Semaphore({ name: 't', permits: 2, clock: new ManualClock() });
    const held = await semaphore.acquire();
    const controller = new AbortController();
    const heavy = track(semaphore.acquire({ weight: 2, signal: controller.signal }));
    const light = track(semaphore.acquire());
    await flushMicrotasks();
    expect(light.settled).toBe(false);
    controller.abort();
    await flushMicrotasks();
    expect(heavy.error).toBeInstanceOf(AbortError);
    expect(light.settled).toBe(true);
    held.release();
    (light.value as Permit).release();
    expect(semaphore.inUse).toBe(0);
  });

  it('withPermit releases after success, rejection and synchronous throw', async () => {
    const semaphore = new Semaphore({ name: 't', permits: 1 });
    await expect(semaphore.withPermit(async () => 42)).resolves.toBe(42);
    await expect(semaphore.withPermit(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(
      semaphore.withPermit(() => {
        throw new Error('sync boom');
      }),
    ).rejects.toThrow('sync boom');
    expect(semaphore.inUse).toBe(0);
    // Also when it had to queue first.
    const held = await semaphore.acquire();
    const queued = semaphore.withPermit(() => Promise.reject(new Error('late boom')), { label: 'q' });
    held.release();
    await expect(queued).rejects.toThrow('late boom');
    expect(semaphore.inUse).toBe(0);
  });

  it('makes double release impossible: a second release() gives nothing back', async () => {
    const semaphore = new Semaphore({ name: 't', permits: 2 });
    const a = await semaphore.acquire();
    const b = await semaphore.acquire();
    a.release();
    a.release();
    expect(semaphore.inUse).toBe(1);
    expect(a.released).toBe(true);
    b.release();
    expect(semaphore.inUse).toBe(0);
  });

  it('bounds the queue with QueueFullError', async () => {
    const semaphore = new Semaphore({ name: 't', permits: 1, maxWaiting: 1 });
    const held = await semaphore.acquire();
    const queued = semaphore.acquire();
    await expect(semaphore.acquire()).rejects.toBeInstanceOf(QueueFullError);
    expect(semaphore.snapshot().rejected).toBe(1);
    held.release();
    (await queued).release();
  });

  it('close() rejects every waiter with ClosedError; holders can still release', async () => {
    const semaphore = new Semaphore({ name: 't', permits: 1 });
    const held = await semaphore.acquire();
    const waiting = semaphore.acquire();
    semaphore.close();
    await expect(waiting).rejects.toBeInstanceOf(ClosedError);
    await expect(semaphore.acquire()).rejects.toBeInstanceOf(ClosedError);
    held.release();
    expect(semaphore.inUse).toBe(0);
  });

  it('setPermits serves waiters that fit after growing', async () => {
    const semaphore = new Semaphore({ name: 't', permits: 1 });
    const held = await semaphore.acquire();
    const waiting = track(semaphore.acquire());
    semaphore.setPermits(2);
    await flushMicrotasks();
    expect(waiting.settled).toBe(true);
    held.release();
    (waiting.value as Permit).release();
  });

  it('reports wait and hold percentiles and long holders with their labels', async () => {
    const clock = new ManualClock();
    const semaphore = new Semaphore({ name: 'agents', permits: 1, clock, timingSampleEvery: 1, longHoldThresholdMs: 1000 });
    const first = await semaphore.acquire({ label: 'rag-answer#1' });
    const second = track(semaphore.acquire({ label: 'rag-answer#2' }));
    clock.advance(200);
    first.release();
    await flushMicrotasks();
    clock.advance(1500);
    const snapshot = semaphore.snapshot();
    expect(snapshot).toMatchObject({ name: 'agents', permits: 1, inUse: 1, waiting: 0, maxWaitingSeen: 1, acquired: 2 });
    expect(snapshot.holdMs.count).toBe(1);
    expect(snapshot.holdMs.max).toBe(200);
    expect(snapshot.waitMs.max).toBe(200); // the second caller waited 200 ms
    expect(snapshot.waitMs.p50).toBe(0); // the first did not wait
    expect(snapshot.longHolders).toEqual([{ label: 'rag-answer#2', weight: 1, ageMs: 1500 }]);
    expect(snapshot.longHolderCount).toBe(1);
    (second.value as Permit).release();
    expect(semaphore.snapshot().longHolders).toEqual([]);
  });

  it('stamps untimed holders at the next snapshot so their age is never overstated', async () => {
    const clock = new ManualClock();
    const semaphore = new Semaphore({ name: 't', permits: 4, clock, timingSampleEvery: 1000, longHoldThresholdMs: 1000 });
    await semaphore.acquire({ label: 'first' }); // timed (the sampler times the first operation)
    await semaphore.acquire({ label: 'untimed' });
    clock.advance(300);
    semaphore.snapshot();
    clock.advance(1200);
    const labels = semaphore.snapshot().longHolders.map((holder) => `${holder.label}:${holder.ageMs}`);
    expect(labels).toEqual(['first:1500', 'untimed:1200']);
  });
});
