import { describe, expect, it } from 'vitest';
import { ArrivalPlan } from './arrival-plan';

describe('ArrivalPlan', () => {
  it('spaces a constant rate evenly and counts exactly rate × duration arrivals', () => {
    const plan = new ArrivalPlan([{ kind: 'constant', durationMs: 10_000, rate: 50 }]);
    expect(plan.plannedArrivals).toBe(500);
    expect(plan.dueAtMs(0)).toBe(0);
    expect(plan.dueAtMs(1)).toBeCloseTo(20, 9);
    expect(plan.dueAtMs(499)).toBeCloseTo(9980, 6);
    expect(plan.dueBy(0)).toBe(1);
    expect(plan.dueBy(19.999)).toBe(1);
    expect(plan.dueBy(20)).toBe(2);
    expect(plan.dueBy(10_000)).toBe(500);
    expect(plan.dueBy(99_999)).toBe(500);
  });

  it('ramps linearly: the arrivals of a ramp are the area under its rate', () => {
    const plan = new ArrivalPlan([{ kind: 'ramping', durationMs: 10_000, fromRate: 0, toRate: 100 }]);
    expect(plan.plannedArrivals).toBe(500);
    expect(plan.rateAt(5_000)).toBe(50);
    // N(t) = 5 t² (t in s): arrival 125 is due at t = 5 s.
    expect(plan.dueAtMs(125)).toBeCloseTo(5_000, 6);
    expect(plan.dueBy(5_000)).toBe(126);
    // Arrivals come closer together as the rate climbs.
    const early = plan.dueAtMs(11) - plan.dueAtMs(10);
    const late = plan.dueAtMs(401) - plan.dueAtMs(400);
    expect(early).toBeGreaterThan(late * 2);
  });

  it('agrees with itself: every arrival is due by its own due time and not before', () => {
    const plan = new ArrivalPlan([
      { kind: 'ramping', durationMs: 3_000, fromRate: 5, toRate: 80 },
      { kind: 'constant', durationMs: 4_000, rate: 80 },
      { kind: 'ramping', durationMs: 3_000, fromRate: 80, toRate: 0 },
    ]);
    for (let k = 0; k < plan.plannedArrivals; k++) {
      const at = plan.dueAtMs(k);
      expect(plan.dueBy(at + 1e-6)).toBeGreaterThanOrEqual(k + 1);
      if (k > 0) expect(plan.dueBy(at - 1e-3)).toBeLessThanOrEqual(k);
    }
  });

  it('starts nothing during a leading pause', () => {
    const plan = new ArrivalPlan([
      { kind: 'constant', durationMs: 2_000, rate: 0 },
      { kind: 'constant', durationMs: 1_000, rate: 10 },
    ]);
    expect(plan.dueBy(1_999)).toBe(0);
    expect(plan.dueAtMs(0)).toBe(2_000);
    expect(plan.dueBy(2_000)).toBe(1);
    expect(plan.plannedArrivals).toBe(10);
  });

  it('scales to a new peak rate and a new duration, keeping the shape', () => {
    const plan = new ArrivalPlan([
      { kind: 'ramping', durationMs: 10_000, fromRate: 10, toRate: 40 },
      { kind: 'constant', durationMs: 20_000, rate: 40 },
    ]);
    const faster = plan.withPeakRate(200);
    expect(faster.peakRate).toBe(200);
    expect(faster.rateAt(0)).toBe(50);
    const shorter = plan.withDuration(15_000);
    expect(shorter.durationMs).toBe(15_000);
    expect(shorter.rateAt(4_999)).toBeLessThan(40);
    expect(shorter.rateAt(5_000)).toBe(40);
  });

  it('rejects negative or non-finite stage values', () => {
    expect(() => new ArrivalPlan([{ kind: 'constant', durationMs: -1, rate: 5 }])).toThrow(RangeError);
    expect(() => new ArrivalPlan([{ kind: 'constant', durationMs: 1000, rate: Number.NaN }])).toThrow(RangeError);
    expect(() => new ArrivalPlan([])).toThrow(RangeError);
  });
});
