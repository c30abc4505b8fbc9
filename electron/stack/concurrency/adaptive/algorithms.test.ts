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
  it('grows under steady latency by its queue allowance', () => {
    const gradient = new GradientAlgorithm({ min: 1, max: 200, initial: 16 });
    feed(gradient, 50, { now: 0, rttMs: 100 });
    expect(gradient.limit).toBeGreaterThan(30);
  });

  it('falls when short-term latency rises above the long-term baseline', () => {
    const gradient = new GradientAlgorithm({ min: 1, max: 200, initial: 40, shortWindow: 5, longWindow: 500 });
    feed(gradient, 300, { now: 0, rttMs: 100 });
    const before = gradient.limit;
    feed(gradient, 30, { now: 1, rttMs: 400 });
    const state = gradient.state();
    expect(state.shortRttMs!).toBeGreaterThan(300);
    expect(state.longRttMs!).toBeLessThan(200);
    expect(gradient.limit).toBeLessThan(before * 0.5);
  });

  it('settles between min and max when latency rises only a little past the tolerance', () => {
    const gradient = new GradientAlgorithm({ min: 1, max: 200, initial: 40, shortWindow: 5, longWindow: 10_000, queueSize: () => 4 });
    feed(gradient, 300, { now: 0, rttMs: 100 });
    expect(gradient.limit).toBe(200);
    // 1.6× the baseline with tolerance 1.5: the gradient is a little under 1, so the limit comes down to
    // where limit × gradient + 4 = limit, instead of collapsing to min.
    feed(gradient, 300, { now: 1, rttMs: 160 });
    expect(gradient.limit).toBeGreaterThan(60);
    expect(gradient.limit).toBeLessThan(150);
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
