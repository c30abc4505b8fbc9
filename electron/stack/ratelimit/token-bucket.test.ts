import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/manual-clock';
import { AbortError, CapacityExceededError, QueueFullError, TimeoutError } from '../concurrency/errors';
import { flushMicrotasks } from '../concurrency/testing/seeded-random';
import { TokenBucket } from './token-bucket';

function settled(promise: Promise<unknown>): { done: boolean; error?: unknown } {
  const state: { done: boolean; error?: unknown } = { done: false };
  promise.then(
    () => (state.done = true),
    (error: unknown) => Object.assign(state, { done: true, error }),
  );
  return state;
}

describe('TokenBucket', () => {
  it('starts full, refills continuously and never above capacity', () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket({ name: 'b', capacity: 10, refillPerSec: 5, clock });
    expect(bucket.tryTake(10)).toBe(true);
    expect(bucket.tryTake(1)).toBe(false);
    clock.advance(100); // 0.5 tokens
    expect(bucket.available()).toBeCloseTo(0.5);
    clock.advance(100_000);
    expect(bucket.available()).toBe(10);
  });

  it('rejects a cost above capacity at once with a typed error, for tryTake and wait', async () => {
    const bucket = new TokenBucket({ name: 'tpm', capacity: 100, refillPerSec: 1, unit: 'tokens' });
    expect(() => bucket.tryTake(101)).toThrow(CapacityExceededError);
    await expect(bucket.wait(101)).rejects.toMatchObject({ code: 'EXCEEDS_CAPACITY' });
    expect(bucket.queued).toBe(0);
  });

  it('wait() admits in arrival order as tokens refill; a heavy head is not overtaken', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket({ name: 'b', capacity: 10, refillPerSec: 10, initialTokens: 0, clock });
    const order: string[] = [];
    const heavy = bucket.wait(5).then(() => order.push('heavy'));
    const light = bucket.wait(1).then(() => order.push('light'));
    await clock.advanceAsync(100); // 1 token: enough for light, but heavy is first
    expect(order).toEqual([]);
    await clock.advanceAsync(400);
    expect(order).toEqual(['heavy']);
    await clock.advanceAsync(100);
    await Promise.all([heavy, light]);
    expect(order).toEqual(['heavy', 'light']);
    expect(bucket.tryTake(1)).toBe(false); // nothing left over: no token was double-spent
  });

  it('tryTake does not jump the queue', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket({ name: 'b', capacity: 10, refillPerSec: 10, initialTokens: 0, clock });
    const waiting = bucket.wait(5);
    clock.advance(200); // 2 tokens; the timer for the waiter is due at 500 ms
    expect(bucket.tryTake(1)).toBe(false);
    await clock.advanceAsync(300);
    await waiting;
  });

  it('abort and timeout leave the queue and take no tokens', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket({ name: 'b', capacity: 10, refillPerSec: 1, initialTokens: 0, clock });
    const controller = new AbortController();
    const aborted = settled(bucket.wait(3, { signal: controller.signal }));
    const timedOut = settled(bucket.wait(3, { timeoutMs: 1000 }));
    controller.abort();
    await flushMicrotasks();
    expect(aborted.error).toBeInstanceOf(AbortError);
    await clock.advanceAsync(1000);
    expect(timedOut.error).toBeInstanceOf(TimeoutError);
    expect(bucket.queued).toBe(0);
    expect(clock.pendingTimers).toBe(0);
    // 1 s of refill at 1/s: exactly one token, none taken by the cancelled waiters.
    expect(bucket.available()).toBeCloseTo(1);
  });

  it('refund wakes waiters; charge leaves a debt that later callers wait out', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket({ name: 'b', capacity: 10, refillPerSec: 1, clock });
    expect(bucket.tryTake(10)).toBe(true);
    const waiting = settled(bucket.wait(4));
    bucket.refund(4);
    await flushMicrotasks();
    expect(waiting.done).toBe(true);
    bucket.charge(5);
    expect(bucket.available()).toBe(-5);
    expect(bucket.msUntil(1)).toBe(6000);
  });

  it('capAt lowers but never raises the content; reconfigure clamps to the new capacity', () => {
    const bucket = new TokenBucket({ name: 'b', capacity: 100, refillPerSec: 1, clock: new ManualClock() });
    bucket.capAt(40);
    expect(bucket.available()).toBe(40);
    bucket.capAt(90);
    expect(bucket.available()).toBe(40);
    bucket.reconfigure({ capacity: 30, refillPerSec: 2 });
    expect(bucket.available()).toBe(30);
    expect(bucket.refillPerSec).toBe(2);
  });

  it('bounds the queue', async () => {
    const bucket = new TokenBucket({ name: 'b', capacity: 1, refillPerSec: 1, initialTokens: 0, maxQueued: 1, clock: new ManualClock() });
    void bucket.wait(1).catch(() => undefined);
    await expect(bucket.wait(1)).rejects.toBeInstanceOf(QueueFullError);
    bucket.close();
  });

  it('snapshot shows the bucket, admissions and waits', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket({ name: 'tokens', capacity: 10, refillPerSec: 10, initialTokens: 1, clock });
    await bucket.wait(1);
    const later = bucket.wait(1);
    await clock.advanceAsync(100);
    await later;
    const snapshot = bucket.snapshot();
    expect(snapshot).toMatchObject({ name: 'tokens', kind: 'token-bucket', admitted: 2, waited: 1, queued: 0 });
    expect(snapshot.buckets[0]).toMatchObject({ capacity: 10, refillPerSec: 10, source: 'config' });
    expect(snapshot.waitMs.max).toBe(100);
  });
});
