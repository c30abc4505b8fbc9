import { describe, expect, it } from 'vitest';
import { LatencyHistogram, WindowedHistogram } from './latency-histogram';
import { seededRandom } from './testing/seeded-random';
import { TimingSampler } from './timing-sampler';

describe('LatencyHistogram', () => {
  it('reports percentiles within the bucket resolution (≤ 1/16 relative) of the exact ones', () => {
    const random = seededRandom(42);
    const histogram = new LatencyHistogram();
    const values: number[] = [];
    for (let i = 0; i < 50_000; i++) {
      const value = Math.exp(random() * 9) / 10; // 0.1 ms … 800 ms, log-spread
      values.push(value);
      histogram.record(value);
    }
    values.sort((a, b) => a - b);
    const exact = (q: number): number => values[Math.ceil(q * values.length) - 1]!;
    const p = histogram.percentiles();
    for (const [reported, q] of [[p.p50, 0.5], [p.p95, 0.95], [p.p99, 0.99]] as const) {
      expect(Math.abs(reported - exact(q)) / exact(q)).toBeLessThan(1 / 16 + 0.001);
    }
    expect(p.max).toBeCloseTo(values.at(-1)!, 2); // reported to the microsecond
    expect(p.count).toBe(50_000);
  });

  it('keeps memory fixed whatever the number of values, and clamps huge ones', () => {
    const histogram = new LatencyHistogram();
    const before = histogram.counts.length;
    for (let i = 0; i < 100_000; i++) histogram.record(i);
    histogram.record(1e12);
    expect(histogram.counts.length).toBe(before);
    expect(histogram.percentiles().max).toBe(1e12);
  });
});

describe('WindowedHistogram', () => {
  it('forgets values older than two windows', () => {
    const histogram = new WindowedHistogram(1000, 0);
    histogram.record(500, 0);
    expect(histogram.percentiles(999).max).toBe(500);
    histogram.record(5, 1500); // rotates: the 500 is now in the previous half
    expect(histogram.percentiles(1500).max).toBe(500);
    expect(histogram.percentiles(2600).count).toBe(1);
    expect(histogram.percentiles(4000).count).toBe(0);
    expect(histogram.lifetimeCount).toBe(2);
  });
});

describe('TimingSampler', () => {
  it('times every operation at low rates and thins out as the rate climbs', () => {
    const sampler = new TimingSampler();
    sampler.adapt(100);
    expect(sampler.weight).toBe(1);
    expect([sampler.take(), sampler.take(), sampler.take()]).toEqual([true, true, true]);
    sampler.adapt(20_000);
    expect(sampler.weight).toBe(32);
    sampler.adapt(10_000_000);
    expect(sampler.weight).toBe(64);
    let timed = 0;
    for (let i = 0; i < 6400; i++) if (sampler.take()) timed += 1;
    expect(timed).toBe(100);
  });

  it('a fixed rate does not adapt', () => {
    const sampler = new TimingSampler(4);
    sampler.adapt(1);
    expect(sampler.weight).toBe(4);
  });
});
