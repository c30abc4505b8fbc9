import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock/manual-clock';
import { ConcurrencyRegistry } from '../concurrency-registry';
import { TimeoutError } from '../errors';
import { flushMicrotasks } from '../testing/seeded-random';
import { AdaptiveSemaphore, type AdaptivePermit } from './adaptive-semaphore';
import { AimdAlgorithm } from './aimd';
import { GradientAlgorithm } from './gradient';

describe('AdaptiveSemaphore', () => {
  it('lowers its limit before handing on the permit of a dropped call', async () => {
    const clock = new ManualClock();
    const semaphore = new AdaptiveSemaphore({ name: 'p', clock, algorithm: new AimdAlgorithm({ min: 1, max: 10, initial: 4, backoffRatio: 0.5 }) });
    const held = await Promise.all([1, 2, 3, 4].map(() => semaphore.acquire()));
    let granted: AdaptivePermit | null = null;
    void semaphore.acquire().then((permit) => (granted = permit));
    clock.advance(100);
    held[0]!.release('dropped');
    await flushMicrotasks(10);
    expect(semaphore.permits).toBe(2);
    expect(granted).toBeNull(); // 3 still hold permits: above the new limit of 2, nothing is admitted
    expect(semaphore.inUse).toBe(3);
    held[1]!.release('ignore');
    held[2]!.release('ignore');
    await flushMicrotasks(10);
    expect(granted).not.toBeNull();
    expect(semaphore.inUse).toBe(2);
  });

  it('withPermit lowers the limit on a 429 and on a timeout, and passes the error through', async () => {
    const clock = new ManualClock();
    const semaphore = new AdaptiveSemaphore({ name: 'p', clock, algorithm: new AimdAlgorithm({ min: 1, max: 100, initial: 50, backoffRatio: 0.5 }) });
    const rateLimited = Object.assign(new Error('429'), { status: 429 });
    await expect(semaphore.withPermit(() => Promise.reject(rateLimited))).rejects.toBe(rateLimited);
    expect(semaphore.permits).toBe(25);
    clock.advance(10);
    await expect(semaphore.withPermit(() => Promise.reject(new TimeoutError('call', 1000)))).rejects.toBeInstanceOf(TimeoutError);
    expect(semaphore.permits).toBe(12);
    // A bad request says nothing about capacity.
    await expect(semaphore.withPermit(() => Promise.reject(Object.assign(new Error('bad'), { status: 400 })))).rejects.toThrow('bad');
    expect(semaphore.permits).toBe(12);
    expect(semaphore.snapshot().adaptive).toMatchObject({ algorithm: 'aimd', limit: 12, samples: 2, drops: 2 });
  });

  it('rises under good latency and records each change in its history', async () => {
    const clock = new ManualClock(0);
    const semaphore = new AdaptiveSemaphore({ name: 'p', clock, algorithm: new GradientAlgorithm({ min: 2, max: 40, initial: 4 }) });
    for (let round = 0; round < 20; round++) {
      const permits = await Promise.all(Array.from({ length: semaphore.permits }, () => semaphore.acquire()));
      clock.advance(100);
      for (const permit of permits) permit.release();
    }
    const adaptive = semaphore.snapshot().adaptive!;
    expect(adaptive.limit).toBe(40);
    expect(adaptive.history[0]).toEqual({ t: 0, limit: 4 });
    expect(adaptive.history.length).toBeGreaterThan(3);
    expect(adaptive.history.map((point) => point.limit)).toEqual([...adaptive.history.map((point) => point.limit)].sort((a, b) => a - b));
  });

  it('appears on the panel as a semaphore with its adaptive state', () => {
    const clock = new ManualClock();
    const registry = new ConcurrencyRegistry(clock);
    const semaphore = new AdaptiveSemaphore({ name: 'provider.adaptive', clock, algorithm: new AimdAlgorithm({ min: 2, max: 20, initial: 8 }) });
    registry.register(semaphore);
    const [shown] = registry.snapshot().semaphores;
    expect(shown).toMatchObject({ name: 'provider.adaptive', permits: 8, adaptive: { algorithm: 'aimd', limit: 8, min: 2, max: 20 } });
  });
});
