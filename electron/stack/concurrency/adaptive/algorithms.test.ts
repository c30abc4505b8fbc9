import { describe, expect, it } from 'vitest';
import { AimdAlgorithm } from './aimd';
import { GradientAlgorithm } from './gradient';
import type { LimitAlgorithm, LimitSample } from './limit-algorithm';

/** Feeds `count` calls that started at `now` with `inFlight` busy and took `rttMs`. */
function feed(algorithm: LimitAlgorithm, count: number, sample: Partial<LimitSample> & { now: number }): number {
  let limit = algorithm.limit;
  for (let i = 0; i < count; i++) {
    limit = algorithm.update({ startedAt: sample.now, rttMs: 100, inFlight: Math.ceil(algorithm.limit), dropped: false, ...sample });
  }
  return limit;
}

describe('AimdAlgorithm', () => {
  it('grows by about one permit per window of successful calls', () => {
    const aimd = new AimdAlgorithm({ min: 1, max: 100, initial: 10 });
    feed(aimd, 10, { now: 0 });
    expect(aimd.limit).toBeGreaterThan(10.9);
    expect(aimd.limit).toBeLessThan(11.1);
  });

  it('backs off multiplicatively on a 429-style drop, once per overshoot', () => {
    const aimd = new AimdAlgorithm({ min: 1, max: 100, initial: 20, backoffRatio: 0.5 });
    aimd.update({ startedAt: 0, rttMs: 100, inFlight: 20, dropped: true, now: 100 });
    expect(aimd.limit).toBe(10);
    // Calls already in flight when the limit fell come back dropped too: the same overshoot, no new cut.
    aimd.update({ startedAt: 50, rttMs: 60, inFlight: 20, dropped: true, now: 110 });
    expect(aimd.limit).toBe(10);
    // A call started after the cut that is still dropped is a new signal.
    aimd.update({ startedAt: 120, rttMs: 60, inFlight: 10, dropped: true, now: 180 });
    expect(aimd.limit).toBe(5);
  });

  it('treats a call slower than timeoutMs as a drop', () => {
    const aimd = new AimdAlgorithm({ min: 1, max: 100, initial: 20, timeoutMs: 1000 });
    aimd.update({ startedAt: 0, rttMs: 1500, inFlight: 20, dropped: false, now: 1500 });
    expect(aimd.limit).toBe(18);
  });

  it('does not grow while the limit is not reached (app-limited)', () => {
    const aimd = new AimdAlgorithm({ min: 1, max: 100, initial: 20 });
    feed(aimd, 100, { now: 0, inFlight: 3 });
    expect(aimd.limit).toBe(20);
  });

  it('stays within min and max', () => {
    const aimd = new AimdAlgorithm({ min: 4, max: 12, initial: 8, backoffRatio: 0.1 });
    aimd.update({ startedAt: 0, rttMs: 1, inFlight: 8, dropped: true, now: 1 });
    expect(aimd.limit).toBe(4);
    feed(aimd, 1000, { now: 2 });
    expect(aimd.limit).toBe(12);
  });

  it('names the field in a bad configuration', () => {
    expect(() => new AimdAlgorithm({ min: 10, max: 5 })).toThrow(/AIMD: max must be ≥ min/);
    expect(() => new AimdAlgorithm({ backoffRatio: 1.5 })).toThrow(/AIMD: backoffRatio/);
    expect(() => new AimdAlgorithm({ min: 2, max: 8, initial: 9 })).toThrow(/AIMD: initial must lie between/);
  });
});

describe('GradientAlgorithm', () => {
  /** One measurement window: ten calls that took `rttMs` with `inFlight` busy. */
  const window = (gradient: GradientAlgorithm, rttMs: number, inFlight = Math.ceil(gradient.limit)): number => feed(gradient, 10, { now: 0, rttMs, inFlight });

  it('doubles per window in slow start, until a window shows congestion', () => {
    const gradient = new GradientAlgorithm({ min: 1, max: 200, initial: 4 });
    expect([window(gradient, 100), window(gradient, 100), window(gradient, 100)]).toEqual([8, 16, 32]);
    window(gradient, 200); // 2× the baseline: congestion, slow start is over
    const after = gradient.limit;
    expect(after).toBeLessThan(32);
    // From now on growth is the queue allowance, smoothed: 4 × 0.2 per window.
    expect(window(gradient, 100) - after).toBeCloseTo(0.8, 6);
  });

  it('updates once per window, not per call', () => {
    const gradient = new GradientAlgorithm({ min: 1, max: 200, initial: 4 });
    expect(feed(gradient, 9, { now: 0, rttMs: 100 })).toBe(4);
    expect(feed(gradient, 1, { now: 0, rttMs: 100 })).toBe(8);
  });

  it('falls when short-term latency rises above the long-term baseline', () => {
    const gradient = new GradientAlgorithm({ min: 1, max: 200, initial: 40 });
    window(gradient, 100);
    window(gradient, 200); // ends slow start at 80 → 80 × 0.65 + 4
    const before = window(gradient, 100);
    window(gradient, 400);
    expect(gradient.state().shortRttMs).toBe(400);
    expect(gradient.state().longRttMs!).toBeLessThan(102); // the baseline barely moves towards a slow window
    // 1.3 × 100 / 400 is below the 0.5 floor: the limit halves (plus the allowance) in one window.
    expect(gradient.limit).toBeCloseTo(before * 0.5 + 4, 6);
  });

  it('does not fall while latency stays within the tolerance', () => {
    const gradient = new GradientAlgorithm({ min: 1, max: 200, initial: 20 });
    window(gradient, 100);
    window(gradient, 200);
    const before = gradient.limit;
    for (let i = 0; i < 5; i++) window(gradient, 125);
    expect(gradient.limit).toBeGreaterThan(before);
  });

  it('takes a faster window as the baseline at once and learns a slower one only slowly', () => {
    const gradient = new GradientAlgorithm({ min: 1, max: 200, initial: 20 });
    for (let i = 0; i < 10; i++) window(gradient, 300);
    window(gradient, 100);
    expect(gradient.state().longRttMs).toBe(100);
    for (let i = 0; i < 10; i++) window(gradient, 300);
    expect(gradient.state().longRttMs!).toBeLessThan(110);
  });

  it('does not move while fewer than half the permits are used', () => {
    const gradient = new GradientAlgorithm({ min: 1, max: 200, initial: 40 });
    window(gradient, 100, 10);
    window(gradient, 1000, 10);
    expect(gradient.limit).toBe(40);
  });

  it('backs off on a drop without learning the failed call latency', () => {
    const gradient = new GradientAlgorithm({ min: 1, max: 200, initial: 50 });
    feed(gradient, 5, { now: 0, rttMs: 100 });
    const shortBefore = gradient.state().shortRttMs;
    const before = gradient.limit;
    gradient.update({ startedAt: 10, rttMs: 5, inFlight: 50, dropped: true, now: 15 });
    expect(gradient.limit).toBeCloseTo(before * 0.9, 6);
    expect(gradient.state().shortRttMs).toBe(shortBefore);
  });

  it('stays within min and max however latency moves', () => {
    const gradient = new GradientAlgorithm({ min: 3, max: 9, initial: 5 });
    const seen: number[] = [];
    for (const rttMs of [10, 10_000, 1, 5000, 50]) {
      for (let i = 0; i < 300; i++) seen.push(gradient.update({ startedAt: 0, rttMs, inFlight: 9, dropped: false, now: 0 }));
    }
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(3);
    expect(Math.max(...seen)).toBe(9);
    expect(Math.min(...seen)).toBeLessThan(9); // it did move
  });
});
