import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/manual-clock';
import { CapacityExceededError } from '../concurrency/errors';
import { SlidingWindowCounter } from './sliding-window-counter';
import { SlidingWindowLog } from './sliding-window-log';

describe('SlidingWindowLog', () => {
  it('admits at most `limit` in any window and frees capacity exactly as entries age out', async () => {
    const clock = new ManualClock(0);
    const log = new SlidingWindowLog({ name: 'rpm', limit: 3, windowMs: 1000, clock });
    expect(log.tryTake()).toBe(true);
    clock.advance(400);
    expect(log.tryTake(2)).toBe(true);
    expect(log.tryTake()).toBe(false);
    clock.advance(599); // t=999: the first entry (t=0) is still inside (0 > -1)
    expect(log.tryTake()).toBe(false);
    clock.advance(1); // t=1000: it left
    expect(log.tryTake()).toBe(true);
    const waited = log.wait(2);
    await clock.advanceAsync(399); // the pair from t=400 leaves at t=1400
    expect(log.inWindow()).toBe(3);
    await clock.advanceAsync(1);
    await waited;
    expect(log.inWindow()).toBe(3);
  });

  it('rejects a cost above the limit at once', async () => {
    const log = new SlidingWindowLog({ name: 'w', limit: 5, windowMs: 1000 });
    await expect(log.wait(6)).rejects.toBeInstanceOf(CapacityExceededError);
  });

  it('grows its ring buffer for small costs', () => {
    const clock = new ManualClock(0);
    const log = new SlidingWindowLog({ name: 'w', limit: 100, windowMs: 1000, clock });
    for (let i = 0; i < 1000; i++) expect(log.tryTake(0.1)).toBe(true);
    expect(log.tryTake(0.1)).toBe(false);
  });
});

describe('SlidingWindowCounter', () => {
  it('counts the current slice and the full window before it, so it never overshoots', () => {
    const clock = new ManualClock(0);
    const counter = new SlidingWindowCounter({ name: 'w', limit: 10, windowMs: 1000, slices: 10, clock });
    clock.advance(990);
    for (let i = 0; i < 10; i++) expect(counter.tryTake()).toBe(true);
    // The classic two-counter estimate would admit ~5 more at t=1500; the window (500, 1500] still holds all 10.
    clock.advance(510);
    expect(counter.tryTake()).toBe(false);
    clock.advance(500); // t=2000: slice [900,1000) is now out of the span [1000, 2000]
    expect(counter.tryTake()).toBe(true);
  });

  it('wait() wakes when the oldest counted slice leaves', async () => {
    const clock = new ManualClock(0);
    const counter = new SlidingWindowCounter({ name: 'w', limit: 2, windowMs: 1000, slices: 4, clock });
    expect(counter.tryTake(2)).toBe(true);
    let done = false;
    const waited = counter.wait(1).then(() => (done = true));
    await clock.advanceAsync(1249);
    expect(done).toBe(false);
    await clock.advanceAsync(1);
    await waited;
    expect(done).toBe(true);
  });
});
