import { describe, expect, it } from 'vitest';
import { LatencyHistogram, minimumCountFor } from './latency-histogram';

function exactPercentile(values: number[], percent: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil((percent / 100) * sorted.length)) - 1]!;
}

describe('LatencyHistogram', () => {
  it('reads percentiles within 0.5 % of the exact nearest-rank value, and min/max exactly', () => {
    const values = Array.from({ length: 5000 }, (_, i) => 0.2 + ((i * 7919) % 5000) * 0.37);
    const h = new LatencyHistogram();
    for (const v of values) h.recordMs(v);
    for (const p of [50, 90, 95, 99]) {
      const exact = exactPercentile(values, p);
      expect(Math.abs(h.percentileMs(p) - exact) / exact).toBeLessThan(0.005);
    }
    expect(h.summary()).toMatchObject({ count: 5000, min: 0.2, max: Math.max(...values) });
  });

  it('merging stored seconds gives exactly the histogram of all their requests', () => {
    const whole = new LatencyHistogram();
    const seconds = [new LatencyHistogram(), new LatencyHistogram(), new LatencyHistogram()];
    for (let i = 0; i < 900; i++) {
      const v = 1 + (i % 97) * 3.1;
      whole.recordMs(v);
      seconds[i % 3]!.recordMs(v);
    }
    const merged = LatencyHistogram.merge(seconds.map((s) => JSON.parse(JSON.stringify(s.toStored())) as ReturnType<LatencyHistogram['toStored']>));
    expect(merged.summary()).toEqual(whole.summary());
  });

  it('gives no p95 for fewer than 20 requests and no p99 for fewer than 100: those would just be the maximum', () => {
    expect(minimumCountFor(50)).toBe(2);
    expect(minimumCountFor(95)).toBe(20);
    expect(minimumCountFor(99)).toBe(100);
    const h = new LatencyHistogram();
    for (let i = 1; i <= 19; i++) h.recordMs(i);
    expect(h.percentileOrNull(95)).toBeNull();
    h.recordMs(20);
    expect(h.percentileOrNull(95)).toBeCloseTo(19, 0);
    expect(h.percentileOrNull(99)).toBeNull();
  });

  it('is empty and zero before anything is recorded', () => {
    expect(new LatencyHistogram().summary()).toMatchObject({ count: 0, p95: 0 });
    expect(new LatencyHistogram().toStored()).toEqual({ n: 0, sumMs: 0, minMs: 0, maxMs: 0, b: [] });
  });
});
