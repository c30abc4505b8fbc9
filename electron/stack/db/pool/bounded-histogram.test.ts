import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock/manual-clock';
import { BoundedHistogram } from './bounded-histogram';

describe('BoundedHistogram', () => {
  it('reports percentiles within 10 % and the exact max', () => {
    const histogram = new BoundedHistogram(new ManualClock());
    for (let i = 1; i <= 1000; i++) histogram.record(i);
    const d = histogram.distribution();
    expect(d.count).toBe(1000);
    expect(d.max).toBe(1000);
    expect(d.p50).toBeGreaterThanOrEqual(500);
    expect(d.p50).toBeLessThanOrEqual(550);
    expect(d.p99).toBeGreaterThanOrEqual(990);
    expect(d.p99).toBeLessThanOrEqual(1000);
  });

  it('forgets values older than the window', () => {
    const clock = new ManualClock();
    const histogram = new BoundedHistogram(clock, 10_000);
    histogram.record(500);
    clock.advance(6_000);
    histogram.record(1);
    expect(histogram.distribution()).toMatchObject({ count: 2, max: 500 });
    clock.advance(6_000);
    expect(histogram.distribution()).toMatchObject({ count: 1, max: 1 });
    clock.advance(60_000);
    expect(histogram.distribution()).toMatchObject({ count: 0, max: 0 });
  });

  it('keeps constant memory however many values go in', () => {
    const histogram = new BoundedHistogram(new ManualClock());
    for (let i = 0; i < 200_000; i++) histogram.record(i % 7 === 0 ? 1e9 : 0.001);
    expect(histogram.distribution()).toMatchObject({ count: 200_000, max: 1e9, p50: 0.01 });
  });
});
