import { describe, expect, it } from 'vitest';
import { AbortError } from './errors';
import { mapBounded } from './map-bounded';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('mapBounded', () => {
  it('runs at most `limit` calls at once and keeps results in input order', async () => {
    let running = 0;
    let peak = 0;
    const results = await mapBounded([5, 1, 4, 2, 3, 0, 6], 3, async (value) => {
      running += 1;
      peak = Math.max(peak, running);
      for (let i = 0; i < value; i++) await tick(); // finish out of order
      running -= 1;
      return value * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30, 0, 60]);
    expect(peak).toBe(3);
  });

  it('fails fast: aborts the calls in flight, starts no more, and rejects only once they have settled', async () => {
    const started: number[] = [];
    const settled: number[] = [];
    const outcome = mapBounded([0, 1, 2, 3, 4, 5, 6, 7], 2, async (value, _index, signal) => {
      started.push(value);
      try {
        if (value === 1) throw new Error('item 1 failed');
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(resolve, 5_000);
          signal.addEventListener('abort', () => {
            clearTimeout(timer);
            reject(signal.reason);
          });
        });
        return value;
      } finally {
        settled.push(value);
      }
    });
    await expect(outcome).rejects.toThrow('item 1 failed');
    expect(started).toEqual([0, 1]);
    // Nothing is left running after the rejection.
    expect(settled.sort()).toEqual([0, 1]);
  });

  it('settle mode runs everything and reports each outcome in order', async () => {
    const results = await mapBounded(
      ['a', 'bad', 'c'],
      2,
      async (value) => {
        if (value === 'bad') throw new Error('nope');
        return value.toUpperCase();
      },
      { settle: true },
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(results[0]).toEqual({ status: 'fulfilled', value: 'A' });
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(Error);
  });

  it('propagates the caller\'s cancellation to running calls and rejects with AbortError', async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    const call = (value: number, _index: number, signal: AbortSignal): Promise<number> =>
      new Promise<number>((_resolve, reject) => {
        signal.addEventListener('abort', () => {
          seen.push(`aborted ${value}`);
          reject(new Error('stopped'));
        });
        if (value === 2) setImmediate(() => controller.abort(new Error('user cancelled')));
      });
    const outcome = mapBounded([1, 2, 3, 4], 2, call, { signal: controller.signal });
    await expect(outcome).rejects.toBeInstanceOf(AbortError);
    expect(seen.sort()).toEqual(['aborted 1', 'aborted 2']);
  });

  it('rejects at once for an already-aborted signal and accepts any iterable', async () => {
    await expect(mapBounded([1], 1, async (v) => v, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortError);
    await expect(mapBounded(new Set([1, 2]), 4, async (v) => v + 1)).resolves.toEqual([2, 3]);
    await expect(mapBounded([], 4, async (v: number) => v)).resolves.toEqual([]);
    await expect(mapBounded([1], 0, async (v) => v)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
